using LipService.Training.Data;
using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>
/// A task's samples as tensors on the training device: X (N, features) and y — for two classes
/// the notebook's (N, 1) targets in {−1, +1}, for more the (N) class indices.
/// </summary>
public sealed class TrainingData : IDisposable
{
    public TrainingData(ClassTaskData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count < 1) throw new ArgumentException("The task has no samples.", nameof(data));
        Count = data.Count;
        X = tensor(data.Pixels, [data.Count, data.Features], device: device);
        BinaryTargets = data.Classes.Count == 2 ? data.BinaryTargets() : null;
        Y = BinaryTargets is { } targets
            ? tensor(targets, [data.Count, 1], device: device)
            : tensor(data.ClassIndices, [data.Count], device: device);
    }

    /// <summary>The notebook's targets (±1) on the host for a two-class task, else null.</summary>
    public float[]? BinaryTargets { get; }

    public int Count { get; }

    public Tensor X { get; }

    public Tensor Y { get; }

    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
