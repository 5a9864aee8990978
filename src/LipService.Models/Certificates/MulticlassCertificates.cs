using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Certificates;

/// <summary>
/// Certificates of a classifier argmax f with C ≥ 2 outputs: the margin f_y − max_{k≠y} f_k can fall
/// at most F·L·‖δ‖ under a perturbation δ, F = √2 when the outputs are jointly L-Lipschitz and 2
/// when only each one is, so no perturbation of L2 norm below margin/(F·L) changes the decision.
/// </summary>
public static class MulticlassCertificates
{
    /// <summary>F: the Lipschitz constant of f_i − f_j per unit of the network's bound.</summary>
    public static double Factor(OutputCoupling coupling) => coupling == OutputCoupling.Joint ? Math.Sqrt(2) : 2;

    /// <summary>(top1 − top2)/(F·L) for one prediction, from its scores; computed in float64.</summary>
    public static double Radius(ReadOnlySpan<float> scores, double lipschitzBound, OutputCoupling coupling)
    {
        CertifiedAccuracyCurve.CheckBound(lipschitzBound);
        if (scores.Length < 2) throw new ArgumentException($"A multiclass prediction has 2 or more scores; got {scores.Length}.", nameof(scores));
        double top1 = double.NegativeInfinity, top2 = double.NegativeInfinity;
        foreach (float s in scores)
        {
            if (s > top1) (top1, top2) = (s, top1);
            else if (s > top2) top2 = s;
        }
        return (top1 - top2) / (Factor(coupling) * lipschitzBound);
    }

    /// <summary>(f_y − max_{k≠y} f_k)/(F·L) per sample: the radius when correct, minus the distance to being correct otherwise.</summary>
    public static Tensor SignedRadius(Tensor scores, Tensor labels, double lipschitzBound, OutputCoupling coupling)
    {
        CertifiedAccuracyCurve.CheckBound(lipschitzBound);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.dim() != 2 || scores.shape[1] < 2 || labels.dim() != 1 || labels.shape[0] != scores.shape[0])
            throw new ArgumentException($"Scores must be (B, C ≥ 2) and labels (B) class indices; got ({string.Join(", ", scores.shape)}) and ({string.Join(", ", labels.shape)}).");
        var index = labels.to(int64).unsqueeze(1);
        var own = scores.gather(1, index).squeeze(1);
        // The true class is masked out of the maximum over the others.
        using var lowest = double.NegativeInfinity.ToScalar();
        var others = scores.scatter(1, index, full_like(own.unsqueeze(1), lowest)).max(1).values;
        using var divisor = (Factor(coupling) * lipschitzBound).ToScalar();
        return (own - others).div_(divisor);
    }

    /// <summary>For each ε, the fraction of samples whose signed radius is &gt; ε.</summary>
    public static IReadOnlyList<CertifiedAccuracyPoint> CertifiedAccuracy(Tensor scores, Tensor labels, double lipschitzBound, OutputCoupling coupling, IReadOnlyList<double>? epsilons = null)
    {
        using var scope = NewDisposeScope();
        return CertifiedAccuracyCurve.Of(SignedRadius(scores, labels, lipschitzBound, coupling), epsilons ?? BinaryCertificates.DefaultEpsilons);
    }
}
