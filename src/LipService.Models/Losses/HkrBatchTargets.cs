using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Losses;

/// <summary>
/// The notebook's binary HKR for training batches, from per-sample targets laid out once per epoch:
/// each row holds the sample's KR weight (1/n₊ for y = +1, −1/n₋ for y = −1, counted within its
/// batch), its sign y and the indicator y &gt; 0.
/// </summary>
/// <remarks>
/// The labels and the epoch's order are known on the host before the epoch starts, so the batch
/// counts that KR divides by need no device work: KR becomes one dot product and the whole loss with
/// its metrics about fifteen native calls, against some fifty for <see cref="HkrLoss.Compute"/>,
/// which has to find the classes in the batch. Same values as <see cref="HkrLoss.Compute"/> (the
/// counts carry the same ε).
/// </remarks>
public static class HkrBatchTargets
{
    /// <summary>Columns per sample: KR weight, sign, positive indicator.</summary>
    public const int Columns = 3;

    /// <summary>
    /// Row-major (N, <see cref="Columns"/>) targets for the samples in <paramref name="order"/>, cut into
    /// consecutive batches of <paramref name="batchSize"/> (the last may be shorter).
    /// </summary>
    /// <param name="labels">Targets in {−1, +1}, indexed by sample.</param>
    public static float[] ForBatches(ReadOnlySpan<float> labels, ReadOnlySpan<long> order, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rows = new float[order.Length * Columns];
        for (int start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.Slice(start, Math.Min(batchSize, order.Length - start));
            int positives = 0;
            foreach (long sample in batch) if (labels[(int)sample] > 0) positives++;
            float positiveWeight = (float)(1 / (positives + HkrLoss.CountEpsilon));
            float negativeWeight = (float)(-1 / (batch.Length - positives + HkrLoss.CountEpsilon));
            for (int i = 0; i < batch.Length; i++)
            {
                bool positive = labels[(int)batch[i]] > 0;
                int row = (start + i) * Columns;
                rows[row] = positive ? positiveWeight : negativeWeight;
                rows[row + 1] = positive ? 1 : -1;
                rows[row + 2] = positive ? 1 : 0;
            }
        }
        return rows;
    }

    /// <summary>HKR = α·mean max(0, m − y·f) − KR and the batch's [loss, KR, hinge, accuracy].</summary>
    /// <param name="scores">(B) or (B, 1).</param>
    /// <param name="targets">(B, <see cref="Columns"/>): a batch's rows of <see cref="ForBatches"/>.</param>
    public static HkrTerms Compute(Tensor scores, Tensor targets, double alpha = HkrLoss.DefaultAlpha, double minMargin = HkrLoss.DefaultMinMargin)
        => Terms(scores, targets, alpha, minMargin, out _, out _);

    /// <summary>
    /// <see cref="Compute"/> without a graph, and the loss's gradient with respect to each score:
    /// ∂loss/∂f_i = −w_i − (α/B)·y_i·[m − y_i·f_i &gt; 0] (the hinge's subgradient is 0 at the kink, as autograd's relu).
    /// </summary>
    /// <returns>The terms and the gradient, shaped like <paramref name="scores"/>.</returns>
    public static (HkrTerms Terms, Tensor ScoreGradient) ComputeWithGradient(
        Tensor scores, Tensor targets, double alpha = HkrLoss.DefaultAlpha, double minMargin = HkrLoss.DefaultMinMargin)
    {
        using var _ = no_grad();
        var terms = Terms(scores, targets, alpha, minMargin, out var shortfall, out var columns);
        using var zero = 0.0.ToScalar();
        using var hingeWeight = (-alpha / shortfall.shape[0]).ToScalar();
        var gradient = shortfall.gt(zero).to(shortfall.dtype).mul_(columns[1]).mul_(hingeWeight).sub_(columns[0]);
        return (terms, gradient.view(scores.shape));
    }

    /// <param name="shortfall">m − y·f per sample: the hinge's argument.</param>
    /// <param name="columns">The targets' columns: KR weight, sign, positive indicator.</param>
    private static HkrTerms Terms(Tensor scores, Tensor targets, double alpha, double minMargin, out Tensor shortfall, out Tensor[] columns)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        var f = scores.reshape(-1);
        if (targets.dim() != 2 || targets.shape[1] != Columns || targets.shape[0] != f.shape[0])
            throw new ArgumentException($"Targets must be ({f.shape[0]}, {Columns}); got ({string.Join(", ", targets.shape)}).", nameof(targets));
        columns = targets.unbind(1);
        var (weights, signs, positive) = (columns[0], columns[1], columns[2]);
        using var margin = minMargin.ToScalar();
        using var weight = alpha.ToScalar();
        using var zero = 0.0.ToScalar();
        var kr = f.dot(weights);
        shortfall = f.mul(signs).neg_().add_(margin, HeldScalars.One);
        var hinge = nn.functional.relu(shortfall).mean();
        var loss = alpha == 0 ? kr.neg() : hinge.mul(weight).sub_(kr);
        Tensor accuracy;
        using (no_grad())
            accuracy = f.ge(zero).to(f.dtype).eq_(positive).mean();
        return new HkrTerms(loss, kr, hinge, accuracy);
    }
}
