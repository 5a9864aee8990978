using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Losses;

/// <summary>
/// Binary losses of deel-lip with the notebook's (deel-lip 1.2) conventions: labels +1 (positive
/// class) / −1, HKR = α·mean max(0, m − y·f) − KR with the full margin m.
/// </summary>
/// <remarks>
/// Scores and labels may be (B) or (B, 1). KR uses deel-lip ≥ 1.3's guarded means (ε = 1e-7 in the
/// counts), so a batch holding only one class loses the missing term instead of producing NaN.
/// No function here synchronises with the device: the results stay tensors. Scalar operands are
/// explicit <c>using</c> locals: TorchSharp 0.107's implicit ones can be finalized by a garbage
/// collection on another thread while libtorch still reads them.
/// </remarks>
public static class HkrLoss
{
    public const double DefaultAlpha = 10.0;
    public const double DefaultMinMargin = 1.0;
    internal const double CountEpsilon = 1e-7;

    /// <summary>mean f(x | y &gt; 0) − mean f(x | y ≤ 0).</summary>
    public static Tensor KR(Tensor scores, Tensor labels)
    {
        var (f, y) = Flatten(scores, labels);
        using var zero = 0.0.ToScalar();
        using var epsilon = CountEpsilon.ToScalar();
        var positive = y.gt(zero).to(f.dtype);
        var negative = y.le(zero).to(f.dtype);
        var meanPositive = (f * positive).sum() / positive.sum().add(epsilon, HeldScalars.One);
        var meanNegative = (f * negative).sum() / negative.sum().add(epsilon, HeldScalars.One);
        return meanPositive - meanNegative;
    }

    /// <summary>mean max(0, m − y·f) with y = ±1.</summary>
    public static Tensor HingeMargin(Tensor scores, Tensor labels, double minMargin = DefaultMinMargin)
    {
        var (f, y) = Flatten(scores, labels);
        using var margin = minMargin.ToScalar();
        return nn.functional.relu((Signs(y) * f).neg().add_(margin, HeldScalars.One)).mean();
    }

    /// <summary>α·HingeMargin − KR.</summary>
    public static Tensor HKR(Tensor scores, Tensor labels, double alpha = DefaultAlpha, double minMargin = DefaultMinMargin)
        => Compute(scores, labels, alpha, minMargin).Loss;

    /// <summary>Fraction of samples with (f ≥ 0) == (y ≥ 0), the notebook's HKR_binary_accuracy.</summary>
    public static Tensor BinaryAccuracy(Tensor scores, Tensor labels)
    {
        var (f, y) = Flatten(scores, labels);
        using var zero = 0.0.ToScalar();
        return f.ge(zero).eq(y.ge(zero)).to(f.dtype).mean();
    }

    /// <summary>The loss and every metric the notebook prints, in one pass.</summary>
    public static HkrTerms Compute(Tensor scores, Tensor labels, double alpha = DefaultAlpha, double minMargin = DefaultMinMargin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        var kr = KR(scores, labels);
        var hinge = HingeMargin(scores, labels, minMargin);
        using var weight = alpha.ToScalar();
        var loss = alpha == 0 ? kr.neg() : hinge.mul(weight).sub_(kr);
        return new HkrTerms(loss, kr, hinge, BinaryAccuracy(scores, labels));
    }

    private static Tensor Signs(Tensor labels)
    {
        using var zero = 0.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        return labels.gt(zero).to(labels.dtype).mul_(two).sub_(one);
    }

    private static (Tensor Scores, Tensor Labels) Flatten(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.numel() != labels.numel())
            throw new ArgumentException($"Scores ({scores.numel()}) and labels ({labels.numel()}) differ in size.", nameof(labels));
        return (scores.reshape(-1), labels.reshape(-1).to(scores.dtype));
    }
}
