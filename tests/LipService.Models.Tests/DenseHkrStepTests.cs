using LipService.Models.Activations;
using LipService.Models.Losses;
using LipService.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>The hand-written training step against autograd through the network's own modules.</summary>
public class DenseHkrStepTests
{
    // The notebook; a layer wider than its input (W̄ = W·M); no hidden bias and a head bias.
    public static TheoryData<int[], bool, bool> Networks => new()
    {
        { [32, 16], true, false },
        { [16, 48], true, false },
        { [24], false, true },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void GradientsAndTermsEqualAutograds(int[] widths, bool hiddenBias, bool outputBias)
    {
        using var scope = NewDisposeScope();
        var spec = new LipschitzNetworkSpec { Hidden = widths, HiddenBias = hiddenBias, OutputBias = outputBias };
        var fused = Trained(spec);
        var reference = Trained(spec);
        var generator = new Generator(92);
        var x = rand(64, 784, generator: generator);
        using var half = 0.5.ToScalar();
        var labels = where(rand(64, generator: generator) > half, 1f, -1f).data<float>().ToArray();
        var order = Enumerable.Range(0, 64).Select(i => (long)i).ToArray();
        var targets = tensor(HkrBatchTargets.ForBatches(labels, order, 64), [64, HkrBatchTargets.Columns]);

        var step = DenseHkrStep.TryCreate(fused, alpha: 10, minMargin: 1);
        Assert.NotNull(step);
        var terms = step.Run(x, targets);
        reference.train();
        var expected = HkrBatchTargets.Compute(reference.forward(x), targets, alpha: 10, minMargin: 1);
        expected.Loss.backward();

        foreach (var (a, b) in new[] { (terms.Loss, expected.Loss), (terms.Kr, expected.Kr), (terms.Hinge, expected.Hinge), (terms.Accuracy, expected.Accuracy) })
            Tolerance.Absolute(b.item<float>(), a.item<float>(), 1e-5 * (1 + Math.Abs(b.item<float>())));
        var theirs = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, parameter) in fused.named_parameters())
        {
            // Same float32 products in another order: relative to the largest entry of each gradient.
            float scale = theirs[name].abs().max().item<float>();
            float difference = (parameter.grad! - theirs[name]).abs().max().item<float>();
            Assert.True(difference <= 1e-4f * scale + 1e-7f, $"{name}: max |Δ| = {difference} (scale {scale})");
        }
    }

    [Fact]
    public void BuffersFollowTheKernelsAfterASteppedBatch()
    {
        using var scope = NewDisposeScope();
        var network = Trained(new LipschitzNetworkSpec());
        var step = DenseHkrStep.TryCreate(network, 10, 1)!;
        var targets = tensor(HkrBatchTargets.ForBatches([1f, -1f], [0, 1], 2), [2, HkrBatchTargets.Columns]);
        step.Run(rand(2, 784, generator: new Generator(93)), targets);
        using var minusTenth = (-0.1).ToScalar();
        using (no_grad())
            foreach (var p in network.parameters()) p.add_(p.grad!, alpha: minusTenth);

        var before = network.LinearLayers[0].NormalizedWeight.clone();
        network.Refresh();
        Assert.True((network.LinearLayers[0].NormalizedWeight - before).abs().max().item<float>() == 0f);
    }

    [Fact]
    public void OtherNetworksAreLeftToAutograd()
    {
        using var scope = NewDisposeScope();
        Assert.Null(DenseHkrStep.TryCreate(new LipschitzNetwork(new LipschitzNetworkSpec { Activation = ActivationKind.ReLU }), 10, 1));
        Assert.Null(DenseHkrStep.TryCreate(new LipschitzNetwork(new LipschitzNetworkSpec { Normalization = NormalizationPreset.Deel2021 }), 10, 1));
        Assert.Null(DenseHkrStep.TryCreate(new LipschitzNetwork(new LipschitzNetworkSpec { Outputs = 10, OutputLayer = OutputLayerKind.Spectral }), 10, 1));
        Assert.Null(DenseHkrStep.TryCreate(new LipschitzNetwork(new LipschitzNetworkSpec { Channels = [8], Hidden = [] }), 10, 1));
    }

    /// <summary>A network whose kernels have moved away from their orthogonal start, as after some training.</summary>
    private static LipschitzNetwork Trained(LipschitzNetworkSpec spec)
    {
        var network = new LipschitzNetwork(spec, new Generator(91));
        var generator = new Generator(94);
        using var scale = 0.05.ToScalar();
        using (no_grad())
            foreach (var p in network.parameters()) p.add_(randn(p.shape, generator: generator) * scale, HeldScalars.One);
        return network;
    }
}
