namespace LipService.Training.Checkpoints;

/// <summary>Durable per-run checkpoints. Save must be atomic: a reader sees the old or the new checkpoint, never a mix.</summary>
public interface ICheckpointStore
{
    Task<TrainingCheckpoint?> LoadAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Throws when the checkpoint cannot be stored; the run then ends with that exception.</summary>
    Task SaveAsync(string runId, TrainingCheckpoint checkpoint, CancellationToken cancellationToken = default);
}
