using LipService.Training.Checkpoints;

namespace LipService.Training.Jobs;

/// <summary>The checkpoints of one job, written only while <c>runner</c> holds its lease.</summary>
internal sealed class JobCheckpoints(IJobRunStore store, RunnerId runner) : ICheckpointStore
{
    public TrainingCheckpoint? Load(string runId) => store.LoadCheckpoint(runId);

    public void Save(string runId, TrainingCheckpoint checkpoint)
    {
        if (!store.SaveCheckpoint(runId, runner, checkpoint))
            throw new JobLeaseException(runId, $"Runner {runner} lost the lease of job {runId}; its checkpoint was not written.");
    }
}
