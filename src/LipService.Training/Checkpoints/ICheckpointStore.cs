namespace LipService.Training.Checkpoints;

/// <summary>Durable per-run checkpoints. Save must be atomic: a reader sees the old or the new checkpoint, never a mix.</summary>
public interface ICheckpointStore
{
    TrainingCheckpoint? Load(string runId);

    void Save(string runId, TrainingCheckpoint checkpoint);
}
