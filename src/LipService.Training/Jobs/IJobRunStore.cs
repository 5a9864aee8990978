using LipService.Training.Checkpoints;
using LipService.Training.Engine;

namespace LipService.Training.Jobs;

/// <summary>
/// What a job's runner needs of the durable store: its job, its lease, its epochs, checkpoints and
/// outcome. Every write takes the runner's id and succeeds only while that runner holds the job's
/// lease, so a second runner of the same job (Hangfire may start one) cannot interleave its writes.
/// </summary>
public interface IJobRunStore
{
    Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Takes the job's lease for <paramref name="runner"/> when it is free, expired or already theirs, and marks the job running.</summary>
    /// <returns>False when another runner holds a live lease or the job has ended.</returns>
    Task<bool> TryAcquireAsync(string jobId, RunnerId runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when the runner lost it.</summary>
    Task<bool> RenewLeaseAsync(string jobId, RunnerId runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Records an epoch (keyed by job and epoch: recording it again replaces it).</summary>
    Task<bool> RecordEpochAsync(string jobId, RunnerId runner, EpochMetrics metrics, CancellationToken cancellationToken = default);

    TrainingCheckpoint? LoadCheckpoint(string jobId);

    bool SaveCheckpoint(string jobId, RunnerId runner, TrainingCheckpoint checkpoint);

    /// <summary>Stores the model and marks the job succeeded, in one transaction; deletes the checkpoint.</summary>
    Task<bool> CompleteAsync(string jobId, RunnerId runner, ModelRecord model, byte[] weights, CancellationToken cancellationToken = default);

    /// <summary>Marks the job failed or cancelled and frees its lease.</summary>
    Task<bool> FinishAsync(string jobId, RunnerId runner, JobStatus status, string? error, CancellationToken cancellationToken = default);
}
