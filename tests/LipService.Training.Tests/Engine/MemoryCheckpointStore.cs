using System.Collections.Concurrent;
using LipService.Training.Checkpoints;

namespace LipService.Training.Tests.Engine;

/// <summary>Checkpoints kept in memory; they hold the serialized model and optimizer bytes, as the durable stores do.</summary>
internal sealed class MemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, TrainingCheckpoint> checkpoints = new();

    public TrainingCheckpoint? Load(string runId) => checkpoints.GetValueOrDefault(runId);

    public void Save(string runId, TrainingCheckpoint checkpoint) => checkpoints[runId] = checkpoint;
}
