using LipService.Training.Data;
using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>A binary task's samples as tensors on the training device: X (N, features), y (N, 1) in {−1, +1}.</summary>
public sealed class TrainingData : IDisposable
{
    public TrainingData(BinaryTaskData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count < 1) throw new ArgumentException("The task has no samples.", nameof(data));
        Count = data.Count;
        X = tensor(data.Pixels, [data.Count, data.Features], device: device);
        Y = tensor(data.Labels, [data.Count, 1], device: device);
    }

    public int Count { get; }

    public Tensor X { get; }

    public Tensor Y { get; }

    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
