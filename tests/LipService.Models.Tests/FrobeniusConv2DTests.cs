using LipService.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class FrobeniusConv2DTests
{
    [Theory]
    [InlineData(1, 1, 3, 6)]
    [InlineData(3, 8, 3, 7)]
    [InlineData(4, 2, 5, 6)]
    public void TheTrueOperatorNormIsAtMostTheBoundWhichIsAtMostOne(int inChannels, int outChannels, int kernel, int side)
    {
        using var scope = NewDisposeScope();
        using var layer = new FrobeniusConv2D(inChannels, outChannels, kernel, generator: new Generator(11));
        using var scale = 0.3.ToScalar();
        foreach (var p in layer.parameters()) using (no_grad()) p.add_(randn_like(p) * scale, HeldScalars.One);
        layer.train();
        layer.forward(rand(1, inChannels, side, side));

        double bound = ConvolutionBound.Reshaped(layer.NormalizedWeight);
        double actual = ConvolutionOperator.Norm(layer.NormalizedWeight, inChannels, side);
        // Float64 SVDs of the same float32 kernel: 1e-9 covers their rounding.
        Assert.True(actual <= bound * (1 + 1e-9), $"operator norm {actual} exceeds the bound {bound}");
        // σ ≤ ‖·‖_F, equal for a single filter whose reshaped kernel is a row: 1e-6 is float32 rounding.
        Assert.InRange(bound, 0.1, 1 + 1e-6);
    }
}
