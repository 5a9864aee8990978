using LipService.Models.Certificates;
using LipService.Models.Export;
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

    /// <summary>Product of the exported layers' proven bounds (SVD; circulant bound for convolutions), recomputed when the weights load.</summary>
    public required double LipschitzBound { get; init; }

    /// <summary>Largest Jacobian norm seen on test samples at the end of training; null for models stored before it was measured.</summary>
    public double? LipschitzLowerBound { get; init; }

    /// <summary>What each layer passes back of its proven bound on test samples; null for models stored before it was measured.</summary>
    public IReadOnlyList<LayerGain>? LayerGains { get; init; }

    public required long TrainableParameters { get; init; }

    public required EpochMetrics Metrics { get; init; }

    public required IReadOnlyList<CertifiedAccuracyPoint> CertifiedAccuracy { get; init; }
}
