using LipService.Models.Certificates;
using LipService.Models.Export;
using LipService.Models.Networks;

namespace LipService.Training.Engine;

/// <summary>A finished run: the trained and exported networks, the bound and the certificates on the test split.</summary>
public sealed class TrainingResult(
    LipschitzNetwork network,
    ExportedNetwork exported,
    IReadOnlyList<EpochMetrics> history,
    IReadOnlyList<CertifiedAccuracyPoint> certifiedAccuracy,
    double lipschitzLowerBound) : IDisposable
{
    public LipschitzNetwork Network { get; } = network;

    public ExportedNetwork Exported { get; } = exported;

    public IReadOnlyList<EpochMetrics> History { get; } = history;

    public IReadOnlyList<CertifiedAccuracyPoint> CertifiedAccuracy { get; } = certifiedAccuracy;

    public double LipschitzBound => Exported.LipschitzBound;

    /// <summary>The largest Jacobian norm seen on test samples: the true constant lies between this and <see cref="LipschitzBound"/>.</summary>
    public double LipschitzLowerBound { get; } = lipschitzLowerBound;

    /// <summary>Per linear layer, the share of its proven bound it passes back on test samples (empty when not measured).</summary>
    public IReadOnlyList<LayerGain> LayerGains { get; init; } = [];

    public EpochMetrics FinalMetrics => History[^1];

    public void Dispose()
    {
        Network.Dispose();
        Exported.Dispose();
    }
}
