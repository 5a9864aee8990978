using LipService.Training.Checkpoints;
using LipService.Training.Engine;

namespace LipService.Training.Jobs;

/// <summary>
/// The durable record of jobs, epoch metrics, checkpoints and models. Writes made on behalf of a
/// running job take the runner's id and succeed only while that runner holds the job's lease, so a
/// second runner of the same job (Hangfire may start one) cannot interleave its writes.
/// </summary>
public interface IJobStore
{
    Task CreateJobAsync(JobRecord job, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(int offset, int limit, CancellationToken cancellationToken = default);

    Task<int> CountJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>Jobs queued or running: what a restart must pick up again.</summary>
    Task<IReadOnlyList<JobRecord>> ListUnfinishedJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes the job's lease for <paramref name="runner"/> when it is free, expired or already theirs, and marks the job running.</summary>
    /// <returns>False when another runner holds a live lease or the job has ended.</returns>
    Task<bool> TryAcquireAsync(string jobId, string runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when the runner lost it.</summary>
    Task<bool> RenewLeaseAsync(string jobId, string runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Frees every lease (embedded start-up: no runner of an earlier process is alive).</summary>
    Task ReleaseAllLeasesAsync(CancellationToken cancellationToken = default);

    /// <summary>Records an epoch (keyed by job and epoch: recording it again replaces it).</summary>
    Task<bool> RecordEpochAsync(string jobId, string runner, EpochMetrics metrics, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string jobId, int afterEpoch = 0, CancellationToken cancellationToken = default);

    TrainingCheckpoint? LoadCheckpoint(string jobId);

    bool SaveCheckpoint(string jobId, string runner, TrainingCheckpoint checkpoint);

    /// <summary>Stores the model and marks the job succeeded, in one transaction; deletes the checkpoint.</summary>
    Task<bool> CompleteAsync(string jobId, string runner, ModelRecord model, byte[] weights, CancellationToken cancellationToken = default);

    /// <summary>Marks the job failed or cancelled and frees its lease.</summary>
    Task<bool> FinishAsync(string jobId, string runner, JobStatus status, string? error, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued job at once, flags a running one for its runner; false when the job had already ended.</summary>
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

    /// <summary>Answers when the store is reachable.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
