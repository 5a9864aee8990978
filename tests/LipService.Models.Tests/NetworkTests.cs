using LipService.Models.Export;
using LipService.Models.Losses;
using LipService.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class NetworkTests
{
    [Fact]
    public void NotebookModelHasTheNotebooksParameterCounts()
    {
        using var network = new LipschitzNetwork(new LipschitzNetworkSpec());
        var counts = network.CountParameters();
        Assert.Equal(25_664, counts.Trainable);
        Assert.Equal(25_666, counts.NonTrainable);
    }

    [Fact]
    public void ExportMatchesEvalModeAndHasABoundFromTheWeights()
    {
        using var network = TrainedBriefly(seed: 1, steps: 30);
        using var exported = ExportedNetwork.From(network);
        using var scope = NewDisposeScope();
        var x = rand(256, 784, generator: new Generator(2));

        network.eval();
        var difference = (network.forward(x) - exported.forward(x)).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"max |Δ| = {difference}");

        double product = 1;
        foreach (var spectrum in exported.Spectra()) product *= spectrum.MaxSingularValue;
        // The same float64 products, possibly multiplied in another order: a few ulps at most.
        Tolerance.Relative(product, exported.LipschitzBound, 8 * Tolerance.Float64Epsilon);
        // Björck leaves every kernel orthonormal up to its 1e-3 stopping tolerance.
        Assert.InRange(exported.LipschitzBound, 0.99, 1.005);
    }

    [Fact]
    public void NetworkIsLipschitzOnRandomPairsAndGradientsAreBounded()
    {
        using var network = TrainedBriefly(seed: 3, steps: 30);
        using var exported = ExportedNetwork.From(network);
        using var scope = NewDisposeScope();
        double bound = exported.LipschitzBound;

        var x = rand(10_000, 784, generator: new Generator(4));
        using var tenth = 0.1.ToScalar();
        using var zero = 0.ToScalar();
        using var one = 1.ToScalar();
        var y = x.add(tenth * randn(10_000, 784, generator: new Generator(5)), HeldScalars.One).clamp(zero, one);
        var ratios = (exported.forward(x) - exported.forward(y)).abs().reshape(-1) / (x - y).norm(1);
        // 1e-5 relative slack for float32 rounding in the forward passes.
        Assert.True(ratios.max().item<float>() <= bound * (1 + 1e-5));

        var input = rand(500, 784, generator: new Generator(6)).requires_grad_();
        exported.forward(input).sum().backward();
        Assert.True(input.grad!.norm(1).max().item<float>() <= bound * (1 + 1e-5));
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputsAndState()
    {
        using var network = TrainedBriefly(seed: 7, steps: 20);
        var saved = new MemoryStream();
        network.save(saved); // closes the stream; ToArray still works

        using var restored = new LipschitzNetwork(new LipschitzNetworkSpec(), new Generator(999));
        restored.load(new MemoryStream(saved.ToArray()));
        using var scope = NewDisposeScope();
        var x = rand(64, 784, generator: new Generator(8));
        network.eval();
        restored.eval();
        Assert.True(network.forward(x).eq(restored.forward(x)).all().item<bool>());

        // Training mode continues the power iteration from the restored u, so it matches too.
        network.train();
        restored.train();
        Assert.True(network.forward(x).eq(restored.forward(x)).all().item<bool>());
    }

    [Fact]
    public void ExportedNetworkRoundTripsThroughAStream()
    {
        using var network = TrainedBriefly(seed: 9, steps: 10);
        using var exported = ExportedNetwork.From(network);
        using var loaded = ExportedNetwork.Deserialize(network.Spec, exported.Serialize());
        using var scope = NewDisposeScope();
        var x = rand(16, 784, generator: new Generator(10));
        Assert.True(exported.forward(x).eq(loaded.forward(x)).all().item<bool>());
        Assert.Equal(exported.LipschitzBound, loaded.LipschitzBound);
    }

    [Fact]
    public void BoundIsHonestWhenKernelsAreNotNormalized()
    {
        // Without Björck the kernels are only ≤ 1-Lipschitz; scale a kernel to see the bound follow the weights.
        using var network = new LipschitzNetwork(new LipschitzNetworkSpec { Hidden = [8] }, new Generator(1));
        using var three = 3.ToScalar();
        using (no_grad()) network.LinearLayers[0].NormalizedWeight.mul_(three);
        using var exported = ExportedNetwork.From(network);
        Assert.InRange(exported.LipschitzBound, 2.99, 3.01);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 31 })]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public void InvalidSpecsAreRejectedNamingHidden(int[] hidden)
    {
        var errors = new LipschitzNetworkSpec { Hidden = hidden }.Validate();
        Assert.Contains(nameof(LipschitzNetworkSpec.Hidden), errors.Keys);
        Assert.Throws<ArgumentException>(() => new LipschitzNetwork(new LipschitzNetworkSpec { Hidden = hidden }));
    }

    /// <summary>A few Adam steps on random data so kernels differ from their initial orthogonal state.</summary>
    internal static LipschitzNetwork TrainedBriefly(int seed, int steps)
    {
        var network = new LipschitzNetwork(new LipschitzNetworkSpec(), new Generator((ulong)seed));
        using var optimizer = optim.Adam(network.parameters(), 0.01);
        var generator = new Generator((ulong)seed + 1000);
        using var half = 0.5.ToScalar();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var x = rand(64, 784, generator: generator);
            var y = where(x.mean([1]) > half, 1f, -1f);
            optimizer.zero_grad();
            HkrLoss.HKR(network.forward(x), y).backward();
            optimizer.step();
        }
        network.Refresh();
        return network;
    }
}
