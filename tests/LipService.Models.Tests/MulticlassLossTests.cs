using LipService.Models.Losses;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class MulticlassLossTests
{
    // Three classes, four samples:  f                    y
    //                              [ 2,    -1,  0.5 ]    0
    //                              [-1,     1, -0.5 ]    1
    //                              [ 0.5,   0,  1.5 ]    2
    //                              [ 0.25, -2,  0   ]    0   (true score below the margin)
    private static Tensor Scores() => tensor(new float[] { 2, -1, 0.5f, -1, 1, -0.5f, 0.5f, 0, 1.5f, 0.25f, -2, 0 }).reshape(4, 3);

    private static Tensor Labels() => tensor(new long[] { 0, 1, 2, 0 });

    // Float32 arithmetic over a dozen values (≈ 6e-8 relative per operation) and the ε = 1e-7 that
    // guards KR's counts stay far below 1e-6.
    private const double Tolerance = 1e-6;

    [Fact]
    public void KrIsTheMeanOverClassesOfTheOneVsAllDifferences()
    {
        using var scope = NewDisposeScope();
        // k=0: mean(2, 0.25) − mean(−1, 0.5) = 1.375; k=1: 1 − mean(−1, 0, −2) = 2; k=2: 1.5 − mean(0.5, −0.5, 0) = 1.5
        Assert.Equal(1.625, MulticlassLosses.KR(Scores(), Labels()).item<float>(), Tolerance);
    }

    [Fact]
    public void HingeWeighsTheTrueClassByCMinusOne()
    {
        using var scope = NewDisposeScope();
        // m = 1, per sample (1/3)·[2·max(0, 1 − f_y) + Σ_{k≠y} max(0, 1 + f_k)]:
        // 1.5/3, 0.5/3, (1.5 + 1)/3, (2·0.75 + 1)/3 → mean 7/12
        Assert.Equal(7.0 / 12, MulticlassLosses.Hinge(Scores(), Labels(), minMargin: 1).item<float>(), Tolerance);
        // m = 0: only samples already on the wrong side of zero count: (0.5 + 0 + 0.5 + 0)/3/4
        Assert.Equal(1.0 / 12, MulticlassLosses.Hinge(Scores(), Labels(), minMargin: 0).item<float>(), Tolerance);
    }

    [Fact]
    public void HkrIsAlphaTimesHingeMinusKr()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(10 * 7.0 / 12 - 1.625, MulticlassLosses.HKR(Scores(), Labels(), alpha: 10, minMargin: 1).item<float>(), Tolerance * 10);
        Assert.Equal(-1.625, MulticlassLosses.HKR(Scores(), Labels(), alpha: 0).item<float>(), Tolerance);
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassLosses.HKR(Scores(), Labels(), alpha: -1));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(100.0)]
    public void TauCrossEntropyIsTheCrossEntropyOfScaledLogitsOverTau(double tau)
    {
        using var scope = NewDisposeScope();
        double[,] f = { { 2, -1, 0.5 }, { -1, 1, -0.5 }, { 0.5, 0, 1.5 }, { 0.25, -2, 0 } };
        int[] y = [0, 1, 2, 0];
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            // log-sum-exp shifted by the largest term, as a careful hand computation would be.
            double max = Math.Max(f[i, 0], Math.Max(f[i, 1], f[i, 2]));
            double sum = 0;
            for (int k = 0; k < 3; k++) sum += Math.Exp(tau * (f[i, k] - max));
            expected += (Math.Log(sum) + tau * max - tau * f[i, y[i]]) / tau / 4;
        }
        // Relative: τ = 100 puts the scaled logits near 250, where float32's spacing is 1.5e-5.
        double actual = MulticlassLosses.TauCategoricalCrossentropy(Scores(), Labels(), tau).item<float>();
        Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
    }

    // Pairwise hinge, C = 4, B = 3, μ = 1.5, in float64. Per sample (1/C)·Σ_{j≠y} max(0, μ − (f_y − f_j)):
    //   f = [ 2,   -1,    0.25, 0 ], y = 0: f_y − f_j = 3, 1.75, 2     → all ≥ μ, terms 0, 0, 0     → 0
    //   f = [-1,    1,    0.5,  1.5], y = 1: f_y − f_j = 2, 0.5, −0.5   → terms 0, 1, 2              → 3/4
    //   f = [ 0.5,  0,   -0.25, 1 ], y = 3: f_y − f_j = 0.5, 1, 1.25   → terms 1, 0.5, 0.25         → 1.75/4
    // mean over B: (0 + 3 + 1.75)/4/3 = 4.75/12. Debian's PyTorch 1.13 agrees:
    // torch.nn.functional.multi_margin_loss(f, y, margin=1.5) = 0.3958333333333333.
    // Every hinge argument lies ≥ 0.25 from its kink, so the finite differences below never cross one.
    private static readonly double[] HingeScores = [2, -1, 0.25, 0, -1, 1, 0.5, 1.5, 0.5, 0, -0.25, 1];
    private static readonly long[] HingeLabels = [0, 1, 3];

    // Offset cross-entropy, C = 3, B = 3, μ = 1.5, τ = 2 (T = 1/τ = 0.5). Per sample T·CE(z) with z = (f − μ·e_y)/T:
    //   f = [2.5, 1, 1], y = 0: f − μ·e_y = [1, 1, 1]   → CE = ln 3                     → 0.5·ln 3
    //   f = [0,   1, 3], y = 2: f − μ·e_y = [0, 1, 1.5] → z = [0, 2, 3], CE = ln(1 + e² + e³) − 3
    //   f = [10,  0, 0], y = 0: margin 10 ≫ μ          → z = [17, 0, 0], CE = ln(1 + 2e⁻¹⁷) ≈ 8e-8
    // mean over B of T·CE. Debian's PyTorch 1.13 agrees:
    // T * F.cross_entropy((f − μ·one_hot(y))/T, y) = 0.24127076470584122.
    private static readonly double[] OffsetScores = [2.5, 1, 1, 0, 1, 3, 10, 0, 0];
    private static readonly long[] OffsetLabels = [0, 2, 0];

    private static Tensor Float64(double[] values, long classes) => tensor(values).reshape(values.Length / classes, classes);

    [Fact]
    public void PairwiseHingeIsTorchsMultiMarginLoss()
    {
        using var scope = NewDisposeScope();
        double loss = MulticlassLosses.PairwiseHinge(Float64(HingeScores, 4), tensor(HingeLabels), margin: 1.5).item<double>();
        Assert.Equal(4.75 / 12, loss, 1e-15);
        Assert.Equal(0.3958333333333333, loss, 1e-15);
        // Only the first sample, whose margin (1.75) exceeds μ: nothing to pay.
        Assert.Equal(0.0, MulticlassLosses.PairwiseHinge(Float64(HingeScores, 4)[..1], tensor(new long[] { 0 }), margin: 1.5).item<double>());
    }

    [Fact]
    public void OffsetCrossEntropyIsTemperatureTimesTheCrossEntropyOfTheOffsetScores()
    {
        using var scope = NewDisposeScope();
        double expected = (0.5 * Math.Log(3) + 0.5 * (Math.Log(1 + Math.Exp(2) + Math.Exp(3)) - 3) + 0.5 * Math.Log(1 + 2 * Math.Exp(-17))) / 3;
        double loss = MulticlassLosses.OffsetCrossEntropy(Float64(OffsetScores, 3), tensor(OffsetLabels), offset: 1.5, temperature: 0.5).item<double>();
        Assert.Equal(expected, loss, 1e-14);
        Assert.Equal(0.24127076470584122, loss, 1e-14);
        // The well-separated sample alone pays almost nothing: 0.5·ln(1 + 2e⁻¹⁷) ≈ 4e-8 (to the
        // rounding of log-sum-exp's 17 + 8e-8 − 17, ≈ 17·2.2e-16).
        double separated = MulticlassLosses.OffsetCrossEntropy(Float64(OffsetScores, 3)[2..], tensor(new long[] { 0 }), 1.5, 0.5).item<double>();
        Assert.Equal(0.5 * Math.Log(1 + 2 * Math.Exp(-17)), separated, 1e-14);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.25)]
    public void OffsetCrossEntropyWithoutOffsetIsTauCrossEntropyWithTauOneOverT(double temperature)
    {
        using var scope = NewDisposeScope();
        var scores = Float64(OffsetScores, 3);
        var labels = tensor(OffsetLabels);
        Assert.Equal(
            MulticlassLosses.TauCategoricalCrossentropy(scores, labels, 1 / temperature).item<double>(),
            MulticlassLosses.OffsetCrossEntropy(scores, labels, offset: 0, temperature).item<double>(),
            1e-14);
    }

    // Central differences (L(f + h·e_i) − L(f − h·e_i))/(2h) in float64 with h = 1e-5. The hinge is
    // piecewise linear and no argument is within h of a kink, so its differences are exact but for
    // rounding, ≈ 2.2e-16·|L|/h ≈ 1e-11. Offset CE's truncation error is h²/6·|∂³L/∂f_i³| with
    // |∂³L/∂f_i³| ≤ τ²·0.1/B (log-sum-exp's third derivative along a coordinate, p(1−p)(1−2p), stays
    // under 0.1), ≈ 1e-11 for τ = 4; its rounding is ≈ 2.2e-16·|L|/h ≈ 1e-11 as well. A wrong factor
    // (1/B, 1/C, T) or offset moves the gradients by ≥ 1e-3 on the samples that are not yet separated.
    private const double FiniteDifferenceTolerance = 1e-9;

    [Fact]
    public void PairwiseHingeGradientsMatchCentralDifferences()
        => AssertGradientsMatchCentralDifferences(HingeScores, 4, f => MulticlassLosses.PairwiseHinge(f, tensor(HingeLabels), margin: 1.5));

    [Theory]
    [InlineData(1.5, 0.5)]
    [InlineData(2.3, 0.25)]
    public void OffsetCrossEntropyGradientsMatchCentralDifferences(double offset, double temperature)
        => AssertGradientsMatchCentralDifferences(OffsetScores, 3, f => MulticlassLosses.OffsetCrossEntropy(f, tensor(OffsetLabels), offset, temperature));

    private static void AssertGradientsMatchCentralDifferences(double[] values, long classes, Func<Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var scores = Float64(values, classes).requires_grad_();
        loss(scores).backward();
        double[] analytic = scores.grad!.data<double>().ToArray();
        const double h = 1e-5;
        double LossAt(int i, double step)
        {
            using var inner = NewDisposeScope();
            double[] moved = (double[])values.Clone();
            moved[i] += step;
            return loss(Float64(moved, classes)).item<double>();
        }
        for (int i = 0; i < values.Length; i++)
        {
            double numeric = (LossAt(i, h) - LossAt(i, -h)) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= FiniteDifferenceTolerance, $"∂L/∂f[{i}]: autograd {analytic[i]}, central difference {numeric}");
        }
    }

    [Fact]
    public void AccuracyComparesTheArgmaxWithTheClass()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(1.0, MulticlassLosses.Accuracy(Scores(), Labels()).item<float>());
        Assert.Equal(0.75, MulticlassLosses.Accuracy(Scores(), tensor(new long[] { 0, 1, 2, 2 })).item<float>());
    }

    [Fact]
    public void AClassMissingFromTheBatchLosesItsTermInsteadOfGivingNaN()
    {
        using var scope = NewDisposeScope();
        // Class 2 never appears: its positive mean is 0/(0 + ε) = 0, the rest stays finite.
        var kr = MulticlassLosses.KR(Scores()[..2], tensor(new long[] { 0, 1 })).item<float>();
        Assert.True(float.IsFinite(kr));
        var scores = Scores().requires_grad_();
        MulticlassLosses.HKR(scores[..2], tensor(new long[] { 0, 1 })).backward();
        Assert.True(scores.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void ShapesThatAreNotMulticlassAreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => MulticlassLosses.KR(ones(4, 1), tensor(new long[] { 0, 0, 0, 0 })));
        Assert.Throws<ArgumentException>(() => MulticlassLosses.Hinge(ones(4, 3), tensor(new long[] { 0, 1 })));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassLosses.TauCategoricalCrossentropy(ones(4, 3), Labels(), 0));
        Assert.Throws<ArgumentException>(() => MulticlassLosses.PairwiseHinge(ones(4, 1), tensor(new long[] { 0, 0, 0, 0 }), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassLosses.PairwiseHinge(ones(4, 3), Labels(), 0));
        Assert.Throws<ArgumentException>(() => MulticlassLosses.OffsetCrossEntropy(ones(4, 3), tensor(new long[] { 0, 1 }), 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassLosses.OffsetCrossEntropy(ones(4, 3), Labels(), -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassLosses.OffsetCrossEntropy(ones(4, 3), Labels(), 1, 0));
    }
}
