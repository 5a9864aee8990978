using LipService.Models.Certificates;
using LipService.Models.Export;
using LipService.Models.Losses;
using LipService.Models.Networks;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class ConvNetworkTests
{
    // Small enough for a dense SVD of every layer's operator, large enough for two poolings.
    private static readonly LipschitzNetworkSpec Small = new()
    {
        InputSize = 2 * 8 * 8,
        InputChannels = 2,
        InputHeight = 8,
        InputWidth = 8,
        Channels = [4, 6],
        Hidden = [8],
        OutputLayer = OutputLayerKind.Spectral,
        Outputs = 3,
    };

    [Fact]
    public void LayersShrinkTheImageAndFlattenBeforeTheFirstDenseLayer()
    {
        var layers = Small.Layers();
        Assert.Equal(["conv0", "conv1", "dense0", "output"], layers.Select(l => l.Name));
        Assert.Equal((8L, 8L), (layers[0].Height, layers[0].Width));
        Assert.Equal((4L, 4L), (layers[1].Height, layers[1].Width));
        Assert.Equal(6 * 2 * 2, layers[2].InFeatures);
        Assert.Equal("flatten", layers[2].FlattenBefore);
        Assert.Null(layers[3].FlattenBefore);
        Assert.Equal(OutputCoupling.Joint, Small.Coupling);
    }

    [Fact]
    public void ExportMatchesEvalModeAndItsBoundIsProvenPerLayer()
    {
        using var network = TrainedBriefly(Small, seed: 1);
        using var exported = ExportedNetwork.From(network);
        using var scope = NewDisposeScope();
        var x = rand(64, Small.InputSize, generator: new Generator(2));
        network.eval();
        var difference = (network.forward(x) - exported.forward(x)).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"max |Δ| = {difference}");

        var spectra = exported.Spectra();
        var kernels = exported.state_dict();
        foreach (var (name, channels, side) in new[] { ("conv0", 2L, 8L), ("conv1", 4L, 4L) })
        {
            double actual = ConvolutionOperator.Norm(kernels[$"layers.{name}.weight"], channels, side);
            double bound = spectra.Single(s => s.Layer == name).MaxSingularValue;
            // Float64 SVD and FFT of the same float32 kernel: 1e-9 relative covers their rounding.
            Assert.True(actual <= bound * (1 + 1e-9), $"{name}: operator norm {actual} above its bound {bound}");
            // The layer is normalized to a reshaped bound ≤ 1 (Björck's stopping tolerance 1e-3).
            Assert.True(bound <= 1 + 1e-3, $"{name}: bound {bound} above 1 + 1e-3");
        }
        Assert.InRange(exported.LipschitzBound, 0.05, 1 + 3e-3);
    }

    [Fact]
    public void TheBoundIsAboveEveryJacobianNormAndTheLowerBound()
    {
        using var network = TrainedBriefly(Small, seed: 3);
        using var exported = ExportedNetwork.From(network);
        using var scope = NewDisposeScope();
        var x = rand(200, Small.InputSize, generator: new Generator(4));
        double lower = JacobianNorm.LargestOver(exported, x);
        Assert.True(lower > 0 && lower <= exported.LipschitzBound * (1 + 1e-5), $"Jacobian norm {lower} vs bound {exported.LipschitzBound}");

        // Independently: ‖∇(f_i − f_j)‖ ≤ √2·L for every pair, as the multiclass certificate assumes.
        var input = x.clone().requires_grad_();
        var scores = exported.forward(input);
        for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
        {
            input.grad?.zero_();
            (scores[.., i] - scores[.., j]).sum().backward(retain_graph: true);
            double largest = input.grad!.norm(1).max().item<float>();
            Assert.True(largest <= Math.Sqrt(2) * exported.LipschitzBound * (1 + 1e-5), $"‖∇(f{i} − f{j})‖ = {largest}");
        }
    }

    [Fact]
    public void SerializedWeightsRoundTripIntoTheSameFunctionAndBound()
    {
        using var network = TrainedBriefly(Small, seed: 5);
        using var exported = ExportedNetwork.From(network);
        using var loaded = ExportedNetwork.Deserialize(Small, exported.Serialize());
        using var scope = NewDisposeScope();
        var x = rand(16, Small.InputSize, generator: new Generator(6));
        Assert.True(exported.forward(x).eq(loaded.forward(x)).all().item<bool>(), "the loaded network computes another function");
        Assert.Equal(exported.LipschitzBound, loaded.LipschitzBound);
        Assert.Null(ManagedScorer.TryCreate(loaded));
    }

    [Fact]
    public void ConvolutionalSpecsAreValidated()
    {
        Assert.Contains("Channels", (Small with { Channels = [3] }).Validate().Keys); // odd for GroupSort2
        Assert.Contains("KernelSize", (Small with { KernelSize = 4 }).Validate().Keys);
        Assert.Contains("InputSize", (Small with { InputSize = 100 }).Validate().Keys);
        Assert.Contains("Channels", (Small with { Channels = [2, 2, 2, 2] }).Validate().Keys); // 8×8 pooled 4 times
        Assert.Empty((Small with { Hidden = [] }).Validate());
        Assert.Contains("Hidden", (Small with { Channels = [], InputSize = 10, Hidden = [] }).Validate().Keys);
    }

    private static LipschitzNetwork TrainedBriefly(LipschitzNetworkSpec spec, int seed)
    {
        var network = new LipschitzNetwork(spec, new Generator((ulong)seed));
        using var optimizer = optim.Adam(network.parameters(), 0.01);
        var generator = new Generator((ulong)seed + 100);
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var x = rand(32, spec.InputSize, generator: generator);
            var y = randint(0, spec.Outputs, [32], generator: generator);
            optimizer.zero_grad();
            MulticlassLosses.HKR(network.forward(x), y, 5, 0.5).backward();
            optimizer.step();
        }
        network.Refresh();
        return network;
    }
}
