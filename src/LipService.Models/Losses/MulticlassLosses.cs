using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Losses;

/// <summary>
/// Multiclass losses for scores f of shape (B, C) and labels given as class indices (B): the
/// one-vs-all ones of deel-lip (reference §11.5), whose margins follow the notebook's binary
/// convention (the full m, deel-lip ≤ 1.3) so a model's α and m mean the same with two classes or
/// ten, and the ones that target the margin f_y − max_{j≠y} f_j the certificate reads
/// (<see cref="PairwiseHinge"/>, <see cref="OffsetCrossEntropy"/>).
/// </summary>
/// <remarks>
/// Like <see cref="HkrLoss"/>: results stay tensors (no device synchronisation), KR's means are
/// guarded (ε = 1e-7 in the counts, so a class absent from a batch loses its term instead of giving
/// NaN), and scalar operands are explicit <c>using</c> locals.
/// </remarks>
public static class MulticlassLosses
{
    private const double CountEpsilon = 1e-7;

    /// <summary>Mean over classes k of [mean f_k(x | y = k) − mean f_k(x | y ≠ k)].</summary>
    public static Tensor KR(Tensor scores, Tensor labels)
    {
        var positive = OneHot(scores, labels);
        using var one = 1.0.ToScalar();
        using var epsilon = CountEpsilon.ToScalar();
        var negative = positive.neg().add_(one, HeldScalars.One);
        var meanPositive = (scores * positive).sum(0L) / positive.sum(0L).add(epsilon, HeldScalars.One);
        var meanNegative = (scores * negative).sum(0L) / negative.sum(0L).add(epsilon, HeldScalars.One);
        return (meanPositive - meanNegative).mean();
    }

    /// <summary>
    /// Mean over samples of (1/C)·[(C−1)·max(0, m − f_y) + Σ_{k≠y} max(0, m + f_k)]: the (C−1)
    /// weight balances the one true class against the C−1 others.
    /// </summary>
    public static Tensor Hinge(Tensor scores, Tensor labels, double minMargin = HkrLoss.DefaultMinMargin)
    {
        var positive = OneHot(scores, labels);
        long classes = scores.shape[1];
        using var one = 1.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var margin = minMargin.ToScalar();
        // s = +1 for the true class, −1 for the others; each term is max(0, m − s·f).
        var signs = positive.mul(two).sub_(one);
        var terms = nn.functional.relu((signs * scores).neg_().add_(margin, HeldScalars.One));
        using var trueWeight = ((double)(classes - 1)).ToScalar();
        var weights = positive.mul(trueWeight).add_(positive.neg().add_(one, HeldScalars.One), HeldScalars.One);
        using var perClass = (1.0 / classes).ToScalar();
        return (terms * weights).sum(1).mul_(perClass).mean();
    }

    /// <summary>α·Hinge − KR, the multiclass form of the notebook's HKR.</summary>
    public static Tensor HKR(Tensor scores, Tensor labels, double alpha = HkrLoss.DefaultAlpha, double minMargin = HkrLoss.DefaultMinMargin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        var kr = KR(scores, labels);
        if (alpha == 0) return kr.neg();
        using var weight = alpha.ToScalar();
        return Hinge(scores, labels, minMargin).mul_(weight).sub_(kr);
    }

    /// <summary>Cross-entropy of softmax(τ·f) divided by τ: low τ favours robustness, high τ accuracy.</summary>
    public static Tensor TauCategoricalCrossentropy(Tensor scores, Tensor labels, double tau)
    {
        if (!(tau > 0) || double.IsInfinity(tau)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "τ must be a positive finite number.");
        Check(scores, labels);
        using var t = tau.ToScalar();
        return nn.functional.cross_entropy(scores.mul(t), labels.to(int64)).div_(t);
    }

    /// <summary>
    /// Pairwise hinge on the margins f_y − f_j: mean over samples of
    /// (1/C)·Σ_{j≠y} max(0, μ − (f_y − f_j)), libtorch's <c>multi_margin_loss</c> (p = 1) with
    /// margin μ, the loss of BCOP's MNIST runs (μ = √2·ε_t).
    /// </summary>
    /// <remarks>
    /// torch's convention divides the sum over the C − 1 other classes by C, not C − 1 (so this is
    /// (C−1)/C times the mean over j ≠ y); it matches <c>torch.nn.functional.multi_margin_loss(f, y,
    /// margin=μ)</c> exactly. A sample pays nothing once f_y − max_{j≠y} f_j ≥ μ; with the jointly
    /// 1-Lipschitz head that certifies a radius of μ/(√2·L).
    /// </remarks>
    public static Tensor PairwiseHinge(Tensor scores, Tensor labels, double margin)
    {
        if (!(margin > 0) || double.IsInfinity(margin)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "μ must be a positive finite number.");
        Check(scores, labels);
        return nn.functional.multi_margin_loss(scores, labels.to(int64), p: 1, margin: margin);
    }

    /// <summary>
    /// Offset cross-entropy (Prach et al. 2023, "1-Lipschitz layers compared"): T·CE((f − μ·e_y)/T),
    /// mean over samples. The true class's score is lowered by μ before the softmax, so the loss
    /// keeps pushing until f_y − f_j is well beyond μ; multiplying by T keeps the gradient at
    /// (softmax((f − μ·e_y)/T) − e_y)/B, each entry within ±1/B, whatever the temperature.
    /// </summary>
    /// <param name="offset">μ ≥ 0; Prach et al. take μ = 2√2·ε.</param>
    /// <param name="temperature">T &gt; 0; Prach et al. take T = 0.25. A spec gives it as τ = 1/T.</param>
    public static Tensor OffsetCrossEntropy(Tensor scores, Tensor labels, double offset, double temperature)
    {
        if (!(offset >= 0) || double.IsInfinity(offset)) throw new ArgumentOutOfRangeException(nameof(offset), offset, "μ must be a finite number ≥ 0.");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "T must be a positive finite number.");
        var positive = OneHot(scores, labels);
        using var minusOffset = (-offset).ToScalar();
        using var t = temperature.ToScalar();
        var logits = scores.add(positive, minusOffset).div_(t);
        return nn.functional.cross_entropy(logits, labels.to(int64)).mul_(t);
    }

    /// <summary>Fraction of samples whose highest score is their class.</summary>
    public static Tensor Accuracy(Tensor scores, Tensor labels)
    {
        Check(scores, labels);
        return scores.argmax(1).eq(labels.to(int64)).to(scores.dtype).mean();
    }

    private static Tensor OneHot(Tensor scores, Tensor labels)
    {
        Check(scores, labels);
        return nn.functional.one_hot(labels.to(int64), scores.shape[1]).to(scores.dtype);
    }

    private static void Check(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.dim() != 2 || scores.shape[1] < 2)
            throw new ArgumentException($"Multiclass scores must be (B, C) with C ≥ 2; got ({string.Join(", ", scores.shape)}).", nameof(scores));
        if (labels.dim() != 1 || labels.shape[0] != scores.shape[0])
            throw new ArgumentException($"Labels must be ({scores.shape[0]}) class indices; got ({string.Join(", ", labels.shape)}).", nameof(labels));
    }
}
