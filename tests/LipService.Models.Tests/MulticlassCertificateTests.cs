using LipService.Models.Certificates;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class MulticlassCertificateTests
{
    [Fact]
    public void RadiusIsTheTopTwoGapOverTheFactorAndTheBound()
    {
        float[] scores = [3, 1, 2.5f];
        // Gap 0.5: √2 for jointly 1-Lipschitz outputs, 2 for independent heads; the bound divides.
        Assert.Equal(0.5 / Math.Sqrt(2), MulticlassCertificates.Radius(scores, 1, OutputCoupling.Joint), 1e-12);
        Assert.Equal(0.25, MulticlassCertificates.Radius(scores, 1, OutputCoupling.Disjoint), 1e-12);
        Assert.Equal(0.5, MulticlassCertificates.Radius(scores, 0.5, OutputCoupling.Disjoint), 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassCertificates.Radius(scores, 0, OutputCoupling.Joint));
        Assert.Throws<ArgumentException>(() => MulticlassCertificates.Radius([1f], 1, OutputCoupling.Joint));
    }

    [Fact]
    public void SignedRadiusIsNegativeForAWrongClassAndTheCurveIsStrict()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new float[] { 3, 1, 2.5f, 0, 2, 1, 1, 1, 0 }).reshape(3, 3);
        var labels = tensor(new long[] { 0, 2, 0 });
        // margins: 3 − 2.5 = 0.5; 1 − 2 = −1; 1 − 1 = 0 (a tie certifies nothing); factor 2.
        var radii = MulticlassCertificates.SignedRadius(scores, labels, 1, OutputCoupling.Disjoint).data<float>().ToArray();
        Assert.Equal([0.25f, -0.5f, 0f], radii);
        var curve = MulticlassCertificates.CertifiedAccuracy(scores, labels, 1, OutputCoupling.Disjoint, [0, 0.25]);
        // > 0: only the first; > 0.25: none (strict).
        Assert.Equal([1.0 / 3, 0.0], curve.Select(p => p.Accuracy));
    }

    [Theory]
    [InlineData(OutputCoupling.Joint)]
    [InlineData(OutputCoupling.Disjoint)]
    public void TheRadiusNeverExceedsTheTrueDistanceToTheDecisionBoundaryOfALinearClassifier(OutputCoupling coupling)
    {
        using var scope = NewDisposeScope();
        // f(x) = W x, with ‖W‖₂ = 1 (jointly 1-Lipschitz) or every row of norm 1 (independent heads).
        var w = randn(10, 20, dtype: float64, generator: new Generator(1));
        w = coupling == OutputCoupling.Joint ? w / linalg.svdvals(w).max() : w / w.norm(1, keepdim: true);
        var x = randn(500, 20, dtype: float64, generator: new Generator(2));
        var f = x.mm(w.t());
        var labels = f.argmax(1);
        var radius = MulticlassCertificates.SignedRadius(f, labels, 1, coupling);

        // For a linear map the exact distance to the nearest decision boundary is min_j (f_y − f_j)/‖w_y − w_j‖.
        var own = f.gather(1, labels.unsqueeze(1));
        var gaps = own - f;
        var rowDistances = (w.index_select(0, labels).unsqueeze(1) - w.unsqueeze(0)).norm(2);
        using var zero = 0.ToScalar();
        using var infinity = double.PositiveInfinity.ToScalar();
        using var rounding = 1e-12.ToScalar();
        var exact = (gaps / rowDistances).masked_fill(gaps.eq(zero), infinity).min(1).values;
        // float64 throughout: 1e-12 covers rounding.
        Assert.True((radius <= exact.add(rounding, HeldScalars.One)).all().item<bool>());
        Assert.True(radius.min().item<double>() >= 0);
    }
}
