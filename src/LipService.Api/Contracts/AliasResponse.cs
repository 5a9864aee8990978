using LipService.Api.Storage;

namespace LipService.Api.Contracts;

/// <summary>An alias: a name that points at one model.</summary>
/// <param name="Alias">The name; usable wherever a model id is (e.g. `modelId` of /predict).</param>
/// <param name="ModelId">The model it points at.</param>
/// <param name="UpdatedAt">When it was last set.</param>
public sealed record AliasResponse(string Alias, string ModelId, DateTimeOffset UpdatedAt)
{
    public static AliasResponse From(ModelAlias alias) => new(alias.Name, alias.ModelId, alias.UpdatedAt);
}
