using static TorchSharp.torch;

namespace LipService.Models.Certificates;

/// <summary>The certified-accuracy curve from per-sample signed radii, shared by the binary and multiclass certificates.</summary>
internal static class CertifiedAccuracyCurve
{
    /// <summary>For each ε, the fraction of samples whose signed radius is &gt; ε (strict, as deel-lip's metrics).</summary>
    public static IReadOnlyList<CertifiedAccuracyPoint> Of(Tensor signedRadii, IReadOnlyList<double> epsilons)
    {
        using var scope = NewDisposeScope();
        var thresholds = tensor(epsilons.Select(e => (float)e).ToArray(), dtype: signedRadii.dtype, device: signedRadii.device);
        var fractions = (signedRadii.unsqueeze(0) > thresholds.unsqueeze(1)).to(float64).mean([1]).cpu().data<double>().ToArray();
        var points = new CertifiedAccuracyPoint[epsilons.Count];
        for (int i = 0; i < points.Length; i++) points[i] = new CertifiedAccuracyPoint(epsilons[i], fractions[i]);
        return points;
    }

    /// <summary>Throws unless <paramref name="lipschitzBound"/> is a positive finite number.</summary>
    public static void CheckBound(double lipschitzBound)
    {
        if (!(lipschitzBound > 0) || double.IsInfinity(lipschitzBound))
            throw new ArgumentOutOfRangeException(nameof(lipschitzBound), lipschitzBound, "The Lipschitz bound must be a positive finite number.");
    }
}
