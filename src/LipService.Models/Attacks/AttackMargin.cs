using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Attacks;

/// <summary>
/// The quantity an untargeted attack drives below zero, for the two kinds of classifier we serve:
/// a two-class network's one score s (label index 0, the positive class, when s ≥ 0, else 1) and a
/// multiclass network's C scores (label index = argmax).
/// </summary>
/// <remarks>
/// Label indices follow the model's classes order, so index 0 of a two-class model is its positive
/// class exactly as the served answers decide it (score ≥ 0), and the flip an attack reports is the
/// flip /predict would report.
/// </remarks>
public static class AttackMargin
{
    /// <summary>
    /// Per row of <paramref name="scores"/> (B, C): f_y − max_{k≠y} f_k for C ≥ 2; s for label 0 and
    /// −s for label 1 when C = 1. Positive while the label holds (or, for a two-class score of exactly 0, zero).
    /// </summary>
    public static Tensor Of(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.shape[1] == 1)
        {
            // 1 − 2y: +1 keeps the positive class's score, −1 flips the negative class's.
            using var minusTwo = (-2.0).ToScalar();
            var sign = labels.to(scores.dtype).mul(minusTwo).add_(HeldScalars.One, HeldScalars.One);
            return scores.squeeze(1) * sign;
        }
        var mask = nn.functional.one_hot(labels, scores.shape[1]).to(@bool);
        var own = scores.masked_select(mask);
        using var lowest = double.NegativeInfinity.ToScalar();
        var others = scores.masked_fill(mask, lowest).max(1).values;
        return own - others;
    }

    /// <summary>The label index each row of <paramref name="scores"/> (B, C) gets, int64 (B).</summary>
    public static Tensor Predicted(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.shape[1] == 1 ? scores.squeeze(1).lt(HeldScalars.Zero).to(int64) : scores.argmax(1);
    }
}
