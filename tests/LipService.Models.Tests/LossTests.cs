using LipService.Models.Losses;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class LossTests
{
    // Every input, partial sum and mean below is a dyadic rational with a few significant bits, so
    // float32 arithmetic is exact in any summation order; 1e-6 only allows for a reduction that
    // rounds once, which none should.
    private const double Exact = 1e-6;

    // f = [2, −1, 0.5, −3], y = [+1, +1, −1, −1]
    private static Tensor Scores() => tensor(new float[] { 2, -1, 0.5f, -3 }).reshape(4, 1);

    private static Tensor Labels() => tensor(new float[] { 1, 1, -1, -1 }).reshape(4, 1);

    [Fact]
    public void KrIsTheDifferenceOfClassMeans()
    {
        using var scope = NewDisposeScope();
        // mean(2, −1) − mean(0.5, −3) = 0.5 − (−1.25)
        Tolerance.Absolute(1.75f, HkrLoss.KR(Scores(), Labels()).item<float>(), Exact);
    }

    [Fact]
    public void HingeUsesTheFullMargin()
    {
        using var scope = NewDisposeScope();
        // y·f = [2, −1, −0.5, 3] → max(0, 1 − y·f) = [0, 2, 1.5, 0]
        Tolerance.Absolute(0.875f, HkrLoss.HingeMargin(Scores(), Labels(), 1.0).item<float>(), Exact);
        // m = 2.5: [0.5, 3.5, 3, 0]
        Tolerance.Absolute(1.75f, HkrLoss.HingeMargin(Scores(), Labels(), 2.5).item<float>(), Exact);
    }

    [Fact]
    public void HkrIsAlphaTimesHingeMinusKr()
    {
        using var scope = NewDisposeScope();
        // 10 · 0.875 − 1.75
        Tolerance.Absolute(7.0f, HkrLoss.HKR(Scores(), Labels(), alpha: 10, minMargin: 1).item<float>(), Exact);
        Tolerance.Absolute(-1.75f, HkrLoss.HKR(Scores(), Labels(), alpha: 0, minMargin: 1).item<float>(), Exact);
    }

    [Fact]
    public void AccuracyComparesSigns()
    {
        using var scope = NewDisposeScope();
        // signs agree for samples 0 and 3 only
        Tolerance.Absolute(0.5f, HkrLoss.BinaryAccuracy(Scores(), Labels()).item<float>(), Exact);
    }

    [Fact]
    public void KrOfASingleClassBatchDropsTheMissingTerm()
    {
        using var scope = NewDisposeScope();
        var kr = HkrLoss.KR(tensor(new float[] { 1, 3 }), tensor(new float[] { 1, 1 }));
        Tolerance.Absolute(2f, kr.item<float>(), Exact);
    }

    [Fact]
    public void ComputeReturnsEveryTermConsistently()
    {
        using var scope = NewDisposeScope();
        var terms = HkrLoss.Compute(Scores(), Labels(), 10, 1);
        Tolerance.Absolute(terms.Loss.item<float>(), 10 * terms.Hinge.item<float>() - terms.Kr.item<float>(), Exact);
        Assert.Equal(new[] { 7f, 1.75f, 0.875f, 0.5f }, terms.Stack().data<float>().ToArray());
    }

    [Fact]
    public void MismatchedSizesAreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => HkrLoss.KR(ones(3), ones(4)));
    }

    [Fact]
    public void GradientOfKrIsPlusOverNPositivesAndMinusOverNNegatives()
    {
        using var scope = NewDisposeScope();
        var f = Scores().requires_grad_();
        HkrLoss.KR(f, Labels()).backward();
        var grad = f.grad!.reshape(-1).data<float>().ToArray();
        double[] expected = [0.5, 0.5, -0.5, -0.5];
        for (int i = 0; i < expected.Length; i++) Tolerance.Absolute(expected[i], grad[i], Exact);
    }
}
