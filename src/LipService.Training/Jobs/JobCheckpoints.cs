using System.Diagnostics;
using LipService.Training.Checkpoints;

namespace LipService.Training.Jobs;

/// <summary>
/// The checkpoints of one job, each stored with its epoch's row in one transaction, and only
/// while <c>runner</c> holds the job's lease.
/// </summary>
internal sealed class JobCheckpoints(IJobRunStore store, RunnerId runner, int? killAfterEpoch) : ICheckpointStore
{
    public Task<TrainingCheckpoint?> LoadAsync(string runId, CancellationToken cancellationToken = default) => store.LoadCheckpointAsync(runId, cancellationToken);

    public async Task SaveAsync(string runId, TrainingCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        if (!await store.SaveCheckpointAsync(runId, runner, checkpoint, cancellationToken))
            throw new JobLeaseException(runId, $"Runner {runner} lost the lease of job {runId}; its checkpoint was not written.");
        // Fault injection for the crash tests: die as a SIGKILL would, right after the commit.
        if (checkpoint.Epoch == killAfterEpoch) Process.GetCurrentProcess().Kill();
    }
}
