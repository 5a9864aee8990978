using LipService.Training.Engine;
using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>
/// Jobs as the host sees them outside a run: submitting, listing and cancelling them, their epochs
/// for the metrics endpoints, and what a restart picks up again. Runners use <see cref="IJobRunStore"/> instead.
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
}
