using System.Collections.Concurrent;
using LipService.Training.Checkpoints;

namespace LipService.Training.Tests.Engine;

/// <summary>Checkpoints kept in memory; they hold the serialized model and optimizer bytes, as the durable stores do.</summary>
internal sealed class MemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, TrainingCheckpoint> checkpoints = new();

    public Task<TrainingCheckpoint?> LoadAsync(string runId, CancellationToken cancellationToken = default) => Task.FromResult(checkpoints.GetValueOrDefault(runId));

    public Task SaveAsync(string runId, TrainingCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        checkpoints[runId] = checkpoint;
        return Task.CompletedTask;
    }
}
