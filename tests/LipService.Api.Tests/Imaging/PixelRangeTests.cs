using LipService.Api.Imaging;

namespace LipService.Api.Tests.Imaging;

public sealed class PixelRangeTests
{
    [Fact]
    public void AnEmptyImageIsAProblemNotACrash() =>
        Assert.Contains("no pixel values", PixelRange.Problem([]), StringComparison.Ordinal);

    [Theory]
    [InlineData(0f, 1f, true)]
    [InlineData(-0.001f, 1f, false)]
    [InlineData(0f, 1.001f, false)]
    [InlineData(0f, float.NaN, false)]
    [InlineData(float.NegativeInfinity, 0f, false)]
    public void ValuesMustBeFiniteAndInTheUnitInterval(float a, float b, bool fine) =>
        Assert.Equal(fine, PixelRange.Problem([a, 0.5f, b]) is null);
}
