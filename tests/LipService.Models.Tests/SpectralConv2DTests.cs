using LipService.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class SpectralConv2DTests
{
    [Theory]
    [InlineData(1, 4, 3, 6)]
    [InlineData(3, 8, 3, 7)]
    [InlineData(8, 4, 5, 8)]
    [InlineData(2, 2, 1, 5)]
    public void TheTrueOperatorNormIsAtMostTheBoundWhichIsAtMostOne(int inChannels, int outChannels, int kernel, int side)
    {
        using var scope = NewDisposeScope();
        using var layer = new SpectralConv2D(inChannels, outChannels, kernel, generator: new Generator(7));
        // A few optimizer-free updates of the raw kernel, so the buffers hold a trained-like state.
        layer.train();
        using var scale = 0.1.ToScalar();
        foreach (var p in layer.parameters()) using (no_grad()) p.add_(randn_like(p) * scale, HeldScalars.One);
        layer.forward(rand(2, inChannels, side, side)).sum().backward();

        double bound = ConvolutionBound.Reshaped(layer.NormalizedWeight);
        double actual = ConvolutionOperator.Norm(layer.NormalizedWeight, inChannels, side);
        // Float64 SVDs of the same float32 kernel: 1e-9 covers their rounding.
        Assert.True(actual <= bound * (1 + 1e-9), $"operator norm {actual} exceeds the bound {bound}");
        // Björck stops at ‖ΔW‖ < 1e-3, so σ(M̄) and with it the bound may exceed 1 by about that.
        Assert.InRange(bound, 0.5, 1 + 1e-3);
    }

    [Theory]
    [InlineData(1, 4, 3, 6, 1)]
    [InlineData(3, 8, 3, 7, 2)]
    [InlineData(8, 4, 5, 8, 3)]
    [InlineData(4, 6, 3, 4, 4)]
    public void TheCirculantBoundLiesBetweenTheTrueNormAndTheReshapedBound(int inChannels, int outChannels, int kernel, int side, int seed)
    {
        using var scope = NewDisposeScope();
        // Any kernel, not only a normalized one: the bound is a property of the operator.
        var weight = randn(outChannels, inChannels, kernel, kernel, generator: new Generator((ulong)seed));
        double actual = ConvolutionOperator.Norm(weight, inChannels, side);
        var (_, circulant) = ConvolutionBound.Circulant(weight, side, side);
        double reshaped = ConvolutionBound.Reshaped(weight);
        // Float64 SVDs and a float64 FFT of the same kernel: 1e-9 relative covers their rounding.
        Assert.True(actual <= circulant * (1 + 1e-9), $"operator norm {actual} exceeds the circulant bound {circulant}");
        Assert.True(circulant <= reshaped * (1 + 1e-9), $"circulant bound {circulant} exceeds the reshaped bound {reshaped}");
        Assert.Equal(Math.Min(circulant, reshaped), ConvolutionBound.Of(weight, side, side));
    }

    [Fact]
    public void EvalUsesTheKernelTheLastTrainingForwardComputed()
    {
        using var scope = NewDisposeScope();
        using var layer = new SpectralConv2D(2, 3, generator: new Generator(3));
        var x = rand(4, 2, 9, 9, generator: new Generator(4));
        layer.train();
        var trained = layer.forward(x).detach();
        layer.eval();
        var evaluated = layer.forward(x);
        Assert.True(trained.allclose(evaluated, rtol: 0, atol: 1e-6), "eval differs from the last training forward");
        Assert.Equal(x.shape[2..], evaluated.shape[2..]);
    }

    [Fact]
    public void StateIsSavedAndRestoredWithTheBuffers()
    {
        using var scope = NewDisposeScope();
        using var source = new SpectralConv2D(2, 3, generator: new Generator(5));
        using var target = new SpectralConv2D(2, 3, generator: new Generator(6));
        var stream = new MemoryStream();
        source.save(stream);
        target.load(new MemoryStream(stream.ToArray()));
        Assert.Equal(["weight", "bias", "u", "sigma", "wbar"], target.state_dict().Keys);
        Assert.True(source.NormalizedWeight.eq(target.NormalizedWeight).all().item<bool>());
    }

    [Fact]
    public void EvenKernelsAreRejected()
        => Assert.Throws<ArgumentException>(() => new SpectralConv2D(1, 1, kernelSize: 2));
}
