using LipService.Models.Certificates;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class CertificateTests
{
    [Fact]
    public void RadiusIsAbsoluteScoreOverBound()
    {
        // Dividing by a power of two is exact.
        Assert.Equal([4.0, 2.0, 0.0], new[] { 2f, -1f, 0f }.Select(score => BinaryCertificates.Radius(score, 0.5)));
    }

    [Fact]
    public void CertifiedAccuracyCountsCorrectSamplesBeyondEpsilonStrictly()
    {
        using var scope = NewDisposeScope();
        // y·f/L with L = 2: [1, 0.25, −0.5, 0.5]
        var scores = tensor(new float[] { 2, 0.5f, 1, -1 });
        var labels = tensor(new float[] { 1, 1, -1, -1 });
        var points = BinaryCertificates.CertifiedAccuracy(scores, labels, 2, [0, 0.25, 0.5, 1]);
        Assert.Equal([0.75, 0.5, 0.25, 0], points.Select(p => p.Accuracy));
        Assert.Equal([0, 0.25, 0.5, 1], points.Select(p => p.Epsilon));
    }

    [Fact]
    public void DefaultEpsilonsAreTheIssuesList()
        => Assert.Equal([0, 0.1, 0.25, 0.3, 0.5, 1.0, 1.58, 2.0], BinaryCertificates.DefaultEpsilons);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void UnusableBoundsAreRejected(double bound)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryCertificates.Radius(1f, bound));
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryCertificates.CertifiedAccuracy(ones(1), ones(1), bound));
    }
}
