using Dapper;
using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>Models and their weights (written by <see cref="CompleteAsync"/>).</summary>
public sealed partial class SqlJobStore
{
    public async Task<ModelRecord?> GetModelAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(
            $"SELECT {ModelColumns} FROM models WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToRecord(row);
    }

    public async Task<ModelRecord?> GetNewestModelAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QueryFirstOrDefaultAsync<ModelRow>(new CommandDefinition(
            $"SELECT {ModelColumns} FROM models ORDER BY created_at DESC, id DESC LIMIT 1", cancellationToken: cancellationToken));
        return row is null ? null : ToRecord(row);
    }

    public async Task<IReadOnlyList<ModelRecord>> ListModelsAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<ModelRow>(new CommandDefinition(
            $"SELECT {ModelColumns} FROM models ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", new { offset, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<int> CountModelsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return (int)await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM models", cancellationToken: cancellationToken));
    }

    public async Task<byte[]?> GetModelWeightsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition("SELECT weights FROM models WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    private static ModelRecord ToRecord(ModelRow r) => new()
    {
        Id = r.Id,
        JobId = r.JobId,
        Spec = StoredJson.Spec(r.Spec),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
        LipschitzBound = r.LipschitzBound,
        TrainableParameters = r.TrainableParameters,
        Metrics = StoredJson.Metrics(r.Metrics),
        CertifiedAccuracy = StoredJson.CertifiedAccuracy(r.CertifiedAccuracy),
        LipschitzLowerBound = r.LipschitzLowerBound,
        LayerGains = r.LayerGains is { } gains ? StoredJson.LayerGains(gains) : null,
    };
}
