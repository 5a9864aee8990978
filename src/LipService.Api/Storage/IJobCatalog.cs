using LipService.Training.Engine;
using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>
/// What the host reads and writes of the store outside a job's run: submitting, listing and
/// cancelling jobs, the epochs for the metrics endpoints, models and their weights, sweeps, and
/// the recovery and health checks. Runners use <see cref="IJobRunStore"/> instead.
/// </summary>
public interface IJobCatalog
{
    Task CreateJobAsync(JobRecord job, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(int offset, int limit, CancellationToken cancellationToken = default);

    Task<int> CountJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>Jobs queued or running: what a restart must pick up again.</summary>
    Task<IReadOnlyList<JobRecord>> ListUnfinishedJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>Frees every lease (embedded start-up: no runner of an earlier process is alive).</summary>
    Task ReleaseAllLeasesAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string jobId, int afterEpoch = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a queued job, or a running one whose runner's lease has lapsed, at once; flags one
    /// with a live runner for that runner. False when the job had already ended.
    /// </summary>
    Task<bool> RequestCancelAsync(string jobId, CancellationToken cancellationToken = default);

    Task<ModelRecord?> GetModelAsync(string id, CancellationToken cancellationToken = default);

    Task<ModelRecord?> GetNewestModelAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelRecord>> ListModelsAsync(int offset, int limit, CancellationToken cancellationToken = default);

    Task<int> CountModelsAsync(CancellationToken cancellationToken = default);

    Task<byte[]?> GetModelWeightsAsync(string id, CancellationToken cancellationToken = default);

    Task CreateSweepAsync(SweepRecord sweep, CancellationToken cancellationToken = default);

    Task<SweepRecord?> GetSweepAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The sweep's jobs, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListSweepJobsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="alias"/> at the model, creating or moving it; null (and nothing written) when no model has that id.</summary>
    Task<ModelAlias?> SetAliasAsync(string alias, string modelId, CancellationToken cancellationToken = default);

    Task<ModelAlias?> GetAliasAsync(string alias, CancellationToken cancellationToken = default);

    /// <summary>By name; only those naming <paramref name="modelId"/> when given.</summary>
    Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string? modelId = null, CancellationToken cancellationToken = default);

    /// <summary>False when there was no such alias (or, with <paramref name="modelId"/>, none of that name pointing at that model).</summary>
    Task<bool> DeleteAliasAsync(string alias, string? modelId = null, CancellationToken cancellationToken = default);

    /// <summary>Answers when the store is reachable.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
