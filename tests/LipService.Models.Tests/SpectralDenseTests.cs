using LipService.Models.Layers;
using LipService.Models.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>
/// SpectralDense trains through the k×k factor ((x·Wᵀ)·M) without forming W̄; these tests hold it to
/// the layer it stands for, x·W̄ᵀ + b with W̄ = Björck(W/(σ+ε)), and check the buffers catch up.
/// </summary>
public class SpectralDenseTests
{
    // (in, out): wide kernels (W̄ = M·W) and a tall one (W̄ = W·M).
    [Theory]
    [InlineData(784, 32)]
    [InlineData(32, 16)]
    [InlineData(8, 24)]
    public void TrainingForwardAndGradientEqualTheNormalizedKernelsLinearMap(int inFeatures, int outFeatures)
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralDense(inFeatures, outFeatures, generator: new Generator(61));
        var weight = layer.get_parameter("weight")!;
        var bias = layer.get_parameter("bias")!;
        using var scale = 0.2.ToScalar();
        using (no_grad())
        {
            weight.add_(randn(weight.shape, generator: new Generator(62)) * scale, HeldScalars.One);
            bias.copy_(randn(outFeatures, generator: new Generator(63)));
        }
        var x = randn(64, inFeatures, generator: new Generator(64));
        var upstream = randn(64, outFeatures, generator: new Generator(65));

        layer.train();
        var y = layer.forward(x);
        (y * upstream).sum().backward();
        var gradient = weight.grad!.clone();

        weight.grad!.zero_();
        var (normalized, _, _) = SpectralNormalization.Orthogonalize(weight, zeros(1, outFeatures), layer.Options);
        var expected = nn.functional.linear(x, normalized, bias);
        (expected * upstream).sum().backward();

        // float32 products of length ≤ 784 taken in another order: a few units in the last place of the largest terms.
        Assert.True((y - expected).abs().max().item<float>() <= 1e-5 * expected.abs().max().item<float>() + 1e-6);
        Assert.True((gradient - weight.grad!).abs().max().item<float>() <= 1e-4 * weight.grad!.abs().max().item<float>());
    }

    [Fact]
    public void BuffersFollowTheKernelWhenRead()
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralDense(32, 16, generator: new Generator(71));
        var weight = layer.get_parameter("weight")!;
        layer.train();
        layer.forward(randn(8, 32, generator: new Generator(72))).sum().backward();
        using var minusHalf = (-0.5).ToScalar();
        using (no_grad()) weight.add_(weight.grad!, alpha: minusHalf); // an optimizer step after the forward

        var (expected, _, sigma) = SpectralNormalization.Orthogonalize(weight.detach(), zeros(1, 16), layer.Options);
        Assert.True((layer.state_dict()["wbar"] - expected).abs().max().item<float>() <= 1e-6);
        layer.eval();
        Assert.True((layer.NormalizedWeight - expected).abs().max().item<float>() <= 1e-6);
        Assert.Equal(sigma.item<float>(), layer.Sigma.item<float>());
    }
}
