using Dapper;
using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>Sweeps and the jobs they spawned.</summary>
public sealed partial class SqlJobStore
{
    public async Task CreateSweepAsync(SweepRecord sweep, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sweeps (id, created_at, request) VALUES (@Id, @createdAt, @Request)",
            new { sweep.Id, createdAt = sweep.CreatedAt.ToUnixTimeMilliseconds(), sweep.Request }, cancellationToken: cancellationToken));
    }

    public async Task<SweepRecord?> GetSweepAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<SweepRow>(new CommandDefinition(
            "SELECT id, created_at, request FROM sweeps WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : new SweepRecord(row.Id, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), row.Request);
    }

    public async Task<IReadOnlyList<JobRecord>> ListSweepJobsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobColumns} FROM jobs WHERE sweep_id = @sweepId ORDER BY created_at, id", new { sweepId }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToRecord)];
    }
}
