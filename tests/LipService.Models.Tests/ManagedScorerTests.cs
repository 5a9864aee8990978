using LipService.Models.Activations;
using LipService.Models.Export;
using LipService.Models.Networks;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class ManagedScorerTests
{
    [Theory]
    [InlineData(ActivationKind.GroupSort2, new[] { 32, 16 })]
    [InlineData(ActivationKind.GroupSort2, new[] { 64, 32, 8 })]
    [InlineData(ActivationKind.ReLU, new[] { 33, 7 })]
    public void ScoresEqualTheTorchForward(ActivationKind activation, int[] hidden)
    {
        var spec = new LipschitzNetworkSpec { Activation = activation, Hidden = hidden };
        using var network = new LipschitzNetwork(spec, new Generator(3));
        // Random biases so that a reordering mistake in them would show.
        using (no_grad()) foreach (var layer in network.LinearLayers) layer.Bias?.copy_(randn(layer.OutFeatures, generator: new Generator(4)));
        using var exported = ExportedNetwork.From(network);
        var scorer = ManagedScorer.TryCreate(exported)!;

        using var scope = NewDisposeScope();
        var x = rand(64, 784, generator: new Generator(5));
        var expected = exported.forward(x).reshape(-1).data<float>().ToArray();
        var actual = new float[64];
        scorer.Score(x.data<float>().ToArray(), actual);

        for (int i = 0; i < 64; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void SortsOtherThanPairsAreLeftToTorch()
    {
        using var network = new LipschitzNetwork(new LipschitzNetworkSpec { Activation = ActivationKind.FullSort });
        using var exported = ExportedNetwork.From(network);
        Assert.Null(ManagedScorer.TryCreate(exported));
    }

    [Fact]
    public void WrongInputLengthIsRejected()
    {
        using var network = new LipschitzNetwork(new LipschitzNetworkSpec());
        using var exported = ExportedNetwork.From(network);
        Assert.Throws<ArgumentException>(() => ManagedScorer.TryCreate(exported)!.Score(new float[783], new float[1]));
    }
}
