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
    }
}
