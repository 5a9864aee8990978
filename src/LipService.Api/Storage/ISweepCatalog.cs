using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>Sweeps: the request that made them and the jobs they spawned (submitted through the job catalog).</summary>
public interface ISweepCatalog
{
    Task CreateSweepAsync(SweepRecord sweep, CancellationToken cancellationToken = default);

    Task<SweepRecord?> GetSweepAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The sweep's jobs, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListSweepJobsAsync(string sweepId, CancellationToken cancellationToken = default);
}
