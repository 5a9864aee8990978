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

    Task<TrainingCheckpoint?> LoadCheckpointAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the checkpoint and, in the same transaction, the row of the epoch it ends (epochs
    /// are keyed by job and epoch: writing one again replaces it) and the job's epoch count.
    /// </summary>
    /// <returns>False (and nothing written) when the runner no longer holds the lease.</returns>
    Task<bool> SaveCheckpointAsync(string jobId, RunnerId runner, TrainingCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Stores the model and every epoch of <paramref name="history"/>, marks the job succeeded and deletes its checkpoint, in one transaction.</summary>
    Task<bool> CompleteAsync(string jobId, RunnerId runner, ModelRecord model, byte[] weights, IReadOnlyList<EpochMetrics> history, CancellationToken cancellationToken = default);

    /// <summary>Marks the job failed or cancelled and frees its lease.</summary>
    Task<bool> FinishAsync(string jobId, RunnerId runner, JobStatus status, string? error, CancellationToken cancellationToken = default);
}
