using LipService.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>
/// The orthogonal convolutions against their operators written out as matrices (float64 SVD): the
/// bound the service announces covers the true norm, is exact for circular padding and for the
/// 2×2/s2 down-sampling, and the layers stay orthogonal after their parameters move.
/// </summary>
public sealed class OrthogonalConvolutionTests
{
    // float32 kernels orthogonal to ~1e-6 per entry: singular values within a few 1e-6 of 1.
    private const double Orthogonality = 2e-5;

    [Theory]
    [InlineData(1, 16, 3, 6, PaddingKind.Circular, 1)]
    [InlineData(4, 4, 3, 7, PaddingKind.Circular, 2)]
    [InlineData(8, 8, 5, 6, PaddingKind.Circular, 3)]
    [InlineData(16, 8, 3, 5, PaddingKind.Circular, 4)]
    [InlineData(2, 4, 3, 6, PaddingKind.Zeros, 5)]
    [InlineData(8, 8, 3, 5, PaddingKind.Zeros, 6)]
    public void TheTrueOperatorNormIsAtMostTheAnnouncedBound(int inChannels, int outChannels, int kernel, int side, PaddingKind padding, int seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        using var layer = new OrthoConv2D(inChannels, outChannels, kernel, padding, generator: generator);
        Perturb(layer, generator);

        var weight = layer.NormalizedWeight;
        var singular = ConvolutionOperator.SingularValues(weight, inChannels, side, padding);
        double actual = singular.max().item<double>();
        double bound = padding == PaddingKind.Circular
            ? ConvolutionBound.CircularSpectrum(weight, side, side).Max
            : ConvolutionBound.Of(weight, side, side);

        Assert.True(actual <= bound * (1 + 1e-9), $"true norm {actual} exceeds the announced bound {bound}");
        Assert.InRange(bound, 1 - Orthogonality, 1 + Orthogonality);
        if (padding == PaddingKind.Circular)
        {
            // Exact: the DFT spectrum is the operator's; and every singular value is 1 where the
            // layer is square or expanding (an isometry), or at most 1 where it contracts.
            Assert.InRange(actual, bound * (1 - 1e-9), bound * (1 + 1e-9));
            double smallest = singular.min().item<double>();
            if (outChannels >= inChannels) Assert.InRange(smallest, 1 - Orthogonality, 1 + Orthogonality);
        }
    }

    [Theory]
    [InlineData(16, 32, 8, 1)]
    [InlineData(8, 32, 6, 2)]
    [InlineData(4, 4, 4, 3)]
    public void TheDownsamplingsNormIsExactlyItsReshapedKernelsLargestSingularValue(int inChannels, int outChannels, int side, int seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        using var layer = new OrthoDownsample2D(inChannels, outChannels, generator: generator);
        Perturb(layer, generator);

        var weight = layer.NormalizedWeight;
        double actual = ConvolutionOperator.SingularValues(weight, inChannels, side, stride: 2).max().item<double>();
        var (_, bound) = ConvolutionBound.DisjointPatches(weight);
        Assert.InRange(actual, bound * (1 - 1e-9), bound * (1 + 1e-9));
        Assert.InRange(bound, 1 - Orthogonality, 1 + Orthogonality);
    }

    [Fact]
    public void TheOrthogonalConvolutionPreservesTheNormOfEveryInputAndGradient()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        using var layer = new OrthoConv2D(8, 8, 3, generator: generator);
        layer.eval();
        var x = randn([5, 8, 9, 9], generator: generator, requires_grad: true);
        var y = layer.forward(x);
        var inputNorms = x.detach().flatten(1).norm(1);
        var outputNorms = y.detach().sub(layer.Bias!.detach().reshape(1, -1, 1, 1)).flatten(1).norm(1);
        AssertClose(outputNorms, inputNorms);

        var g = randn(y.shape, generator: generator);
        y.backward([g]);
        AssertClose(x.grad!.flatten(1).norm(1), g.flatten(1).norm(1));
    }

    [Theory]
    [InlineData(3, 6, 9, 1)]
    [InlineData(5, 7, 5, 2)]
    [InlineData(7, 3, 4, 3)]
    public void TheCircularPaddingsGradientIsLibtorchs(int kernel, int height, int width, int seed)
    {
        // The layer pads with its own autograd node (a faster backward); the reference is libtorch's
        // circular pad with the same kernel. Both fold at most four products per input pixel onto the
        // same conv2d input gradient, so they differ only by float32 rounding of those sums.
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        using var layer = new OrthoConv2D(4, 6, kernel, generator: generator);
        var x = randn([3, 4, height, width], generator: generator, requires_grad: true);
        var reference = x.detach().clone().requires_grad_();
        var g = randn([3, 6, height, width], generator: generator);
        layer.forward(x).backward([g]);
        long pad = kernel / 2;
        var kernelUsed = layer.NormalizedWeight.detach();
        var expected = nn.functional.conv2d(nn.functional.pad(reference, [pad, pad, pad, pad], PaddingModes.Circular), kernelUsed, layer.Bias!.detach());
        expected.backward([g]);
        double scale = reference.grad!.abs().max().item<float>();
        Assert.True(x.grad!.allclose(reference.grad!, rtol: 0, atol: 1e-6 * scale), $"largest difference {(x.grad! - reference.grad!).abs().max().item<float>()} (scale {scale})");
    }

    [Fact]
    public void TrainingTheParametersKeepsTheKernelOrthogonalAndEvalUsesTheLastOne()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        using var layer = new OrthoConv2D(4, 8, 3, generator: generator);
        var optimizer = optim.Adam(layer.parameters(), lr: 0.05);
        var x = randn([16, 4, 7, 7], generator: generator);
        var target = randn([16, 8, 7, 7], generator: generator);
        for (int step = 0; step < 5; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(layer.forward(x), target);
            loss.backward();
            optimizer.step();
        }
        layer.Refresh();
        var (min, max) = ConvolutionBound.CircularSpectrum(layer.NormalizedWeight, 7, 7);
        Assert.InRange(min, 1 - Orthogonality, 1 + Orthogonality);
        Assert.InRange(max, 1 - Orthogonality, 1 + Orthogonality);

        layer.eval();
        using var _ = no_grad();
        var viaEval = layer.forward(x);
        layer.train();
        var viaTraining = layer.forward(x);
        Assert.True(viaEval.allclose(viaTraining, rtol: 0, atol: 1e-5), "eval must use the kernel the parameters give");
    }

    [Fact]
    public void TheParametersReceiveGradients()
    {
        using var scope = NewDisposeScope();
        using var layer = new OrthoConv2D(4, 4, 3, generator: new Generator(2));
        var x = randn([2, 4, 6, 6], generator: new Generator(3));
        var y = layer.forward(x);
        y.mul(y).sum().backward();
        foreach (var (name, parameter) in layer.named_parameters())
        {
            if (name == "bias") continue;
            Assert.True(parameter.grad is not null && parameter.grad.abs().max().item<float>() > 0, $"{name} got no gradient");
        }
    }

    /// <summary>Moves every parameter away from its initial value, as training would.</summary>
    private static void Perturb(TorchSharp.torch.nn.Module layer, Generator generator)
    {
        using (no_grad())
        {
            foreach (var p in layer.parameters())
            {
                using var noise = randn(p.shape, generator: generator);
                using var scale = 0.3.ToScalar();
                p.add_(noise, scale);
            }
        }
        ((LipService.Models.Layers.ILipschitzLinear)layer).Refresh();
    }

    private static void AssertClose(Tensor actual, Tensor expected)
    {
        double worst = (actual - expected).abs().div(expected).max().item<float>();
        // float32 products through 72-term dot products: relative errors of a few 1e-6.
        Assert.True(worst < 1e-4, $"relative norm difference {worst}");
    }
}
