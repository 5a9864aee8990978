using LipService.Models.Certificates;
using LipService.Training.Engine;
using LipService.Training.Specs;

namespace LipService.Training.Jobs;

/// <summary>A trained, exported model as stored (its weights are read separately: they are the large part).</summary>
public sealed record ModelRecord
{
    public required string Id { get; init; }

    public required string JobId { get; init; }

    public required TrainingSpec Spec { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Product of the exported kernels' largest singular values (SVD), recomputed when the weights load.</summary>
    public required double LipschitzBound { get; init; }

    public required long TrainableParameters { get; init; }

    public required EpochMetrics Metrics { get; init; }

    public required IReadOnlyList<CertifiedAccuracyPoint> CertifiedAccuracy { get; init; }
}
