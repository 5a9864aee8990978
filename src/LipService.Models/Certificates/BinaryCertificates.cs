using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Certificates;

/// <summary>
/// Certificates of a binary classifier sign(f) with ‖f(x) − f(y)‖ ≤ L‖x − y‖: no perturbation of
/// L2 norm below |f(x)|/L can change the decision.
/// </summary>
public static class BinaryCertificates
{
    /// <summary>The ε list reported by default (L2 distances, pixels in [0, 1]); 1.58 is the MNIST budget common in the certified-robustness literature.</summary>
    public static IReadOnlyList<double> DefaultEpsilons { get; } = [0, 0.1, 0.25, 0.3, 0.5, 1.0, 1.58, 2.0];

    /// <summary>|f(x)| / L: the certified L2 radius of one prediction (computed in float64 from the float32 score).</summary>
    public static double Radius(float score, double lipschitzBound)
    {
        CertifiedAccuracyCurve.CheckBound(lipschitzBound);
        return Math.Abs((double)score) / lipschitzBound;
    }

    /// <summary>y·f(x) / L per sample: the radius when correct, minus the distance to being correct otherwise.</summary>
    public static Tensor SignedRadius(Tensor scores, Tensor labels, double lipschitzBound)
    {
        CertifiedAccuracyCurve.CheckBound(lipschitzBound);
        var f = scores.reshape(-1);
        using var zero = 0.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var bound = lipschitzBound.ToScalar();
        var signs = labels.reshape(-1).gt(zero).to(f.dtype).mul_(two).sub_(one);
        return (signs * f).div_(bound);
    }

    /// <summary>For each ε, the fraction of samples with y·f(x)/L &gt; ε (strict, as deel-lip's BinaryProvableRobustAccuracy).</summary>
    public static IReadOnlyList<CertifiedAccuracyPoint> CertifiedAccuracy(Tensor scores, Tensor labels, double lipschitzBound, IReadOnlyList<double>? epsilons = null)
    {
        epsilons ??= DefaultEpsilons;
        using var scope = NewDisposeScope();
        return CertifiedAccuracyCurve.Of(SignedRadius(scores, labels, lipschitzBound), epsilons);
    }
}
