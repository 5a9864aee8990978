using LipService.Models.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>The training batches' HKR from per-epoch targets against <see cref="HkrLoss.Compute"/> and by hand.</summary>
public class HkrBatchTargetsTests
{
    [Fact]
    public void RowsHoldTheBatchCountsSignAndIndicator()
    {
        // Samples 0..4 with labels +, −, +, +, −; order 4 0 1 2 3 in batches of 3: {4, 0, 1} and {2, 3}.
        float[] labels = [1, -1, 1, 1, -1];
        var rows = HkrBatchTargets.ForBatches(labels, [4, 0, 1, 2, 3], batchSize: 3);

        // First batch: one positive (sample 0), two negatives; second: two positives, no negative.
        float[] expected =
        [
            (float)(-1 / (2 + 1e-7)), -1, 0,
            (float)(1 / (1 + 1e-7)), 1, 1,
            (float)(-1 / (2 + 1e-7)), -1, 0,
            (float)(1 / (2 + 1e-7)), 1, 1,
            (float)(1 / (2 + 1e-7)), 1, 1,
        ];
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void TermsAndGradientEqualTheGeneralLoss()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(81);
        var scores = randn(40, 1, generator: generator);
        scores[3, 0] = tensor(0f); // a score of exactly 0 counts as the positive class in both
        using var threshold = 0.4.ToScalar();
        var labels = where(rand(40, generator: generator) > threshold, 1f, -1f);
        var order = Enumerable.Range(0, 40).Select(i => (long)i).ToArray();
        var targets = tensor(HkrBatchTargets.ForBatches(labels.data<float>().ToArray(), order, 40), [40, HkrBatchTargets.Columns]);

        var fast = scores.clone().requires_grad_();
        var terms = HkrBatchTargets.Compute(fast, targets, alpha: 10, minMargin: 1);
        terms.Loss.backward();
        var general = scores.clone().requires_grad_();
        var expected = HkrLoss.Compute(general, labels, alpha: 10, minMargin: 1);
        expected.Loss.backward();

        // Sums of 40 float32 terms in another order (a dot product against two masked means).
        foreach (var (a, b) in new[] { (terms.Loss, expected.Loss), (terms.Kr, expected.Kr), (terms.Hinge, expected.Hinge), (terms.Accuracy, expected.Accuracy) })
            Tolerance.Absolute(b.item<float>(), a.item<float>(), 40 * Tolerance.Float32Epsilon * (1 + Math.Abs(b.item<float>())));
        Assert.True((fast.grad! - general.grad!).abs().max().item<float>() <= 1e-6f);
    }

    [Fact]
    public void TargetsOfAnotherShapeAreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => HkrBatchTargets.Compute(zeros(4, 1), zeros(4, 2)));
        Assert.Throws<ArgumentException>(() => HkrBatchTargets.Compute(zeros(4, 1), zeros(5, HkrBatchTargets.Columns)));
    }
}
