using Dapper;
using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>How many jobs the store holds in each status: one grouped count, cheap enough for every scrape.</summary>
public sealed class JobStatusCounts(IDbConnectionFactory connections)
{
    /// <summary>Every status, 0 where the store has none.</summary>
    public async Task<IReadOnlyDictionary<JobStatus, long>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var counts = Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 0L);
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM jobs GROUP BY status", cancellationToken: cancellationToken));
        foreach (var (status, count) in rows) counts[JobStatusExtensions.ParseWire(status)] = count;
        return counts;
    }
}
