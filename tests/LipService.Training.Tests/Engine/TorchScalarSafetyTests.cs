namespace LipService.Training.Tests.Engine;

/// <summary>
/// These tests' own torch arithmetic makes no temporary TorchSharp Scalar: one finalized while
/// libtorch reads it gives a wrong number now and then (see LipService.Models.HeldScalars).
/// </summary>
public sealed class TorchScalarSafetyTests
{
    [Fact]
    public void NoTestMakesATemporaryScalar()
    {
        var offences = TemporaryScalarScan.Find(typeof(TorchScalarSafetyTests).Assembly);
        Assert.True(offences.Count == 0, $"{offences.Count} calls make a temporary Scalar:\n{string.Join('\n', offences)}");
    }
}
