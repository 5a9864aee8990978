namespace LipService.Api.Storage;

/// <summary>Aliases: names pointing at models.</summary>
public interface IAliasCatalog
{
    /// <summary>Points <paramref name="alias"/> at the model, creating or moving it; null (and nothing written) when no model has that id.</summary>
    Task<ModelAlias?> SetAliasAsync(string alias, string modelId, CancellationToken cancellationToken = default);

    Task<ModelAlias?> GetAliasAsync(string alias, CancellationToken cancellationToken = default);

    /// <summary>By name; only those naming <paramref name="modelId"/> when given.</summary>
    Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string? modelId = null, CancellationToken cancellationToken = default);

    /// <summary>False when there was no such alias (or, with <paramref name="modelId"/>, none of that name pointing at that model).</summary>
    Task<bool> DeleteAliasAsync(string alias, string? modelId = null, CancellationToken cancellationToken = default);
}
