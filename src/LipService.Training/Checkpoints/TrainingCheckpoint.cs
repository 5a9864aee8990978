using LipService.Training.Engine;

namespace LipService.Training.Checkpoints;

/// <summary>Everything needed to continue a run after <see cref="Epoch"/> as if it had never stopped.</summary>
/// <param name="Epoch">The last completed epoch.</param>
/// <param name="ModelState">The network's parameters and buffers (TorchSharp module format).</param>
/// <param name="OptimizerState">Adam's moments and step counts (TorchSharp optimizer format).</param>
/// <param name="History">Metrics of epochs 1..Epoch.</param>
public sealed record TrainingCheckpoint(int Epoch, byte[] ModelState, byte[] OptimizerState, IReadOnlyList<EpochMetrics> History);
