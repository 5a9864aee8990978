using LipService.Models.Pooling;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class PoolingTests
{
    public static TheoryData<string> Layers => new() { "l2-pool", "global-l2-pool", "invertible-down" };

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        "l2-pool" => new ScaledL2NormPooling2D(2),
        "global-l2-pool" => new ScaledGlobalL2NormPooling2D(),
        _ => new InvertibleDownSampling(2),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void IsOneLipschitzOnRandomPairs(string name)
    {
        using var scope = NewDisposeScope();
        var layer = Create(name);
        var x = randn(500, 3, 8, 8, generator: new Generator(1));
        using var tenth = 0.1.ToScalar();
        var y = x.add(tenth * randn(500, 3, 8, 8, generator: new Generator(2)), HeldScalars.One);
        var ratio = (layer.forward(x) - layer.forward(y)).flatten(1).norm(1) / (x - y).flatten(1).norm(1);
        // 1e-5 relative slack for float32 rounding in the sums of squares.
        Assert.True(ratio.max().item<float>() <= 1 + 1e-5, $"{name}: max ratio {ratio.max().item<float>()}");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void PreservesNormsAndHasDefinedGradientsAtZero(string name)
    {
        using var scope = NewDisposeScope();
        var layer = Create(name);
        var x = randn(4, 3, 8, 8, generator: new Generator(3));
        var norms = layer.forward(x).flatten(1).norm(1) / x.flatten(1).norm(1);
        // ε = 1e-6 inside the square roots moves a norm of ~10 by far less than float32's 1e-6 relative.
        using var one = 1.ToScalar();
        Assert.True((norms - one).abs().max().item<float>() < 1e-5, $"{name}: norms ratio off by {(norms - one).abs().max().item<float>()}");

        var zero = zeros(1, 3, 8, 8).requires_grad_();
        layer.forward(zero).sum().backward();
        Assert.True(zero.grad!.isfinite().all().item<bool>(), $"{name}: non-finite gradient at 0");
    }

    [Fact]
    public void InvertibleDownSamplingPutsTheInputChannelFirst()
    {
        using var scope = NewDisposeScope();
        using var start = 0.ToScalar();
        using var stop = (2 * 4 * 4).ToScalar();
        using var step = 1.ToScalar();
        var x = arange(start, stop, step, dtype: float32).reshape(1, 2, 4, 4);
        var y = new InvertibleDownSampling(2).forward(x);
        Assert.Equal([1L, 8, 2, 2], y.shape);
        // Output channel c·4 + i·2 + j holds input channel c at row offset i, column offset j.
        Assert.Equal([0f, 2, 8, 10], y[0, 0].flatten().data<float>().ToArray());
        Assert.Equal([16f + 5, 16 + 7, 16 + 13, 16 + 15], y[0, 7].flatten().data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => new InvertibleDownSampling(3).forward(x));
    }
}
