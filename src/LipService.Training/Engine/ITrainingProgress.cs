namespace LipService.Training.Engine;

/// <summary>Receives each epoch as it completes. May be called again for the same epoch after a resume: consumers key by epoch.</summary>
public interface ITrainingProgress
{
    void EpochCompleted(EpochMetrics metrics);
}
