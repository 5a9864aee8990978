using Dapper;

namespace LipService.Api.Storage;

/// <summary>Aliases: names pointing at models.</summary>
public sealed partial class SqlJobStore
{
    public async Task<ModelAlias?> SetAliasAsync(string alias, string modelId, CancellationToken cancellationToken = default)
    {
        long now = Now;
        await using var c = await connections.OpenAsync(cancellationToken);
        // One statement: the model's existence is checked where the row is written, so an alias can
        // never be left pointing at a model that was not there (the WHERE also settles SQLite's
        // INSERT … SELECT … ON CONFLICT parsing ambiguity).
        int written = await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO aliases (name, model_id, updated_at) SELECT @alias, id, @now FROM models WHERE id = @modelId
            ON CONFLICT (name) DO UPDATE SET model_id = excluded.model_id, updated_at = excluded.updated_at
            """,
            new { alias, modelId, now }, cancellationToken: cancellationToken));
        return written == 1 ? new ModelAlias(alias, modelId, DateTimeOffset.FromUnixTimeMilliseconds(now)) : null;
    }

    public async Task<ModelAlias?> GetAliasAsync(string alias, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<AliasRow>(new CommandDefinition(
            "SELECT name, model_id, updated_at FROM aliases WHERE name = @alias", new { alias }, cancellationToken: cancellationToken));
        return row is null ? null : ToRecord(row);
    }

    public async Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string? modelId = null, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        // Two statements rather than "@modelId IS NULL OR …": PostgreSQL cannot type a lone null parameter.
        var rows = await c.QueryAsync<AliasRow>(new CommandDefinition(
            modelId is null
                ? "SELECT name, model_id, updated_at FROM aliases ORDER BY name"
                : "SELECT name, model_id, updated_at FROM aliases WHERE model_id = @modelId ORDER BY name",
            new { modelId }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<bool> DeleteAliasAsync(string alias, string? modelId = null, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            modelId is null ? "DELETE FROM aliases WHERE name = @alias" : "DELETE FROM aliases WHERE name = @alias AND model_id = @modelId",
            new { alias, modelId }, cancellationToken: cancellationToken)) == 1;
    }

    private static ModelAlias ToRecord(AliasRow r) => new(r.Name, r.ModelId, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt));
}
