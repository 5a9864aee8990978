using LipService.Models.Export;
using LipService.Models.Networks;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>
/// What each layer passes back of its bound: exactly all of it where the backward pass is an
/// isometry (square or contracting orthogonal layers), never more than all of it anywhere.
/// </summary>
public sealed class LayerGainsTests
{
    private static readonly LipschitzNetworkSpec Orthogonal = new()
    {
        InputSize = 8 * 8,
        InputChannels = 1,
        InputHeight = 8,
        InputWidth = 8,
        Channels = [4],
        Convolution = ConvolutionKind.Orthogonal,
        Hidden = [16],
        OutputLayer = OutputLayerKind.Spectral,
        Outputs = 3,
    };

    [Fact]
    public void LayersWhoseBackwardIsAnIsometryPassBackTheirWholeBoundAndNoLayerMore()
    {
        var gains = GainsOnRandomInputs(Orthogonal);

        Assert.Equal(["conv0", "down0", "dense0", "output"], gains.Select(g => g.Layer));
        // float32 backward through unit-norm layers: relative errors of ~1e-6.
        const double tolerance = 1e-4;
        Assert.All(gains, g => Assert.True(g.Mean <= 1 + tolerance && g.Min <= g.Mean, $"{g.Layer}: {g}"));
        // down0 (8 × 16 rows), dense0 (16 × 128) and output (3 × 16) contract with orthonormal rows:
        // their transposes are isometries, so every gradient keeps its norm.
        Assert.All(gains.Skip(1), g => Assert.True(g.Min >= 1 - tolerance, $"{g.Layer}: {g}"));
        // conv0 expands 1 → 4 channels: its transpose keeps only the part of a gradient in its range.
        Assert.True(gains[0].Mean < 0.9, $"conv0 unexpectedly passes back {gains[0]}");
    }

    [Fact]
    public void AfterASquareDownsamplingOfTheInputNoLayerExpandsAndEveryOnePassesBackItsWholeBound()
    {
        // 1×8×8 → stem 4×4×4 (square) → conv0 4 → 4 (square) → down0 8×2×2 → dense0 32 → 16 → output 3.
        var gains = GainsOnRandomInputs(Orthogonal with { DownsampleInput = true });

        Assert.Equal(["stem", "conv0", "down0", "dense0", "output"], gains.Select(g => g.Layer));
        Assert.All(gains, g => Assert.True(g.Min >= 1 - 1e-4 && g.Mean <= 1 + 1e-4, $"{g.Layer}: {g}"));
    }

    /// <summary>The gains of a freshly built network of <paramref name="spec"/>, exported, on 64 random images with random labels of 3 classes.</summary>
    private static IReadOnlyList<LayerGain> GainsOnRandomInputs(LipschitzNetworkSpec spec)
    {
        using var network = new LipschitzNetwork(spec, new Generator(1));
        using var exported = ExportedNetwork.From(network);
        using var scope = NewDisposeScope();
        var generator = new Generator(2);
        var x = rand(64, spec.InputSize, generator: generator);
        var labels = randint(0, 3, [64], generator: generator);
        return LayerGains.Measure(exported, x, labels);
    }
}
