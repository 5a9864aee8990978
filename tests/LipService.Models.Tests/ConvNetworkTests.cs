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

    private static LipschitzNetworkSpec Of(ConvolutionKind kind) => Small with { Convolution = kind };

    /// <summary>The orthogonal network after an orthogonal down-sampling of its input: one stage fits 8×8 (8 → 4 → 2).</summary>
    private static LipschitzNetworkSpec Unshuffled => Of(ConvolutionKind.Orthogonal) with { DownsampleInput = true, Channels = [4] };

    private static LipschitzNetworkSpec Of(ConvolutionKind kind, bool downsampleInput) => downsampleInput ? Unshuffled : Of(kind);

    [Fact]
    public void DownsamplingTheInputPutsASquareOrthogonalLayerFirstAndHalvesWhatTheConvolutionsSee()
    {
        var layers = Unshuffled.Layers();
        Assert.Equal(["stem", "conv0", "down0", "dense0", "output"], layers.Select(l => l.Name));
        // 2 channels × a 2×2 patch in, 8 channels out: square, so orthogonal both ways.
        Assert.Equal(
            [(LayerKind.OrthogonalDownsampling, 2L, 8L, 8L, 2L), (LayerKind.OrthogonalConvolution, 8L, 4L, 4L, 1L), (LayerKind.OrthogonalDownsampling, 4L, 8L, 4L, 2L)],
            layers.Take(3).Select(l => (l.Kind, l.InFeatures, l.OutFeatures, l.Height, l.Stride)));
        Assert.Equal("stem_act", layers[0].ActivationName);
        Assert.Equal(8 * 2 * 2, layers[3].InFeatures);
        Assert.Empty(Unshuffled.Validate());
        // 8 → 4 → 2: a second convolution would see 2×2, smaller than its kernel.
        Assert.Contains("Channels", (Unshuffled with { Channels = [4, 6] }).Validate().Keys);
        Assert.Contains("DownsampleInput", (Small with { DownsampleInput = true }).Validate().Keys);
        Assert.Contains("DownsampleInput", (Unshuffled with { Activation = Activations.ActivationKind.GroupSort, GroupSize = 16 }).Validate().Keys);
        // Specs without it serialize as before (stored and exported specs stay byte-identical).
        Assert.DoesNotContain("DownsampleInput", System.Text.Json.JsonSerializer.Serialize(Small));
    }

    [Fact]
    public void OrthogonalStagesDownsampleToTwiceTheChannelsAndWrapAround()
    {
        var layers = Of(ConvolutionKind.Orthogonal).Layers();
        Assert.Equal(["conv0", "down0", "conv1", "down1", "dense0", "output"], layers.Select(l => l.Name));
        Assert.Equal(
            [(LayerKind.OrthogonalConvolution, 2L, 4L, 8L, 1L), (LayerKind.OrthogonalDownsampling, 4L, 8L, 8L, 2L),
             (LayerKind.OrthogonalConvolution, 8L, 6L, 4L, 1L), (LayerKind.OrthogonalDownsampling, 6L, 12L, 4L, 2L)],
            layers.Take(4).Select(l => (l.Kind, l.InFeatures, l.OutFeatures, l.Height, l.Stride)));
        Assert.All(layers.Take(4), l => Assert.Null(l.PoolName));
        Assert.Equal(12 * 2 * 2, layers[4].InFeatures);
        // The spectral network keeps the layer keys its checkpoints and shelf were written with.
        Assert.Equal(["conv0:c2x4k3@8x8bp", "conv1:c4x6k3@4x4bp", "dense0:24x8b", "output:8x3"], Small.Layers().Select(l => l.Shape));
    }

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

    [Theory]
    [InlineData(ConvolutionKind.Spectral)]
    [InlineData(ConvolutionKind.Orthogonal)]
    [InlineData(ConvolutionKind.Orthogonal, true)]
    public void ExportMatchesEvalModeAndItsBoundIsProvenPerLayer(ConvolutionKind kind, bool downsampleInput = false)
    {
        var spec = Of(kind, downsampleInput);
        using var network = TrainedBriefly(spec, seed: 1);
        using var exported = ExportedNetwork.From(network);
        using var scope = NewDisposeScope();
        var x = rand(64, spec.InputSize, generator: new Generator(2));
        network.eval();
        var difference = (network.forward(x) - exported.forward(x)).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"max |Δ| = {difference}");

        var spectra = exported.Spectra();
        var kernels = exported.state_dict();
        foreach (var layer in spec.Layers().Where(l => l.IsConvolution))
        {
            var padding = layer.Kind == LayerKind.OrthogonalConvolution ? Layers.PaddingKind.Circular : Layers.PaddingKind.Zeros;
            var singular = ConvolutionOperator.SingularValues(kernels[$"layers.{layer.Name}.weight"], layer.InFeatures, layer.Height, padding, layer.Stride);
            double actual = singular.max().item<double>();
            double bound = spectra.Single(s => s.Layer == layer.Name).MaxSingularValue;
            // Float64 SVD and FFT of the same float32 kernel: 1e-9 relative covers their rounding.
            Assert.True(actual <= bound * (1 + 1e-9), $"{layer.Name}: operator norm {actual} above its bound {bound}");
            // Spectral layers are normalized to a reshaped bound ≤ 1 (Björck's stopping tolerance 1e-3);
            // orthogonal ones are exact, orthogonal to float32 rounding.
            Assert.True(bound <= 1 + (kind == ConvolutionKind.Orthogonal ? 2e-5 : 1e-3), $"{layer.Name}: bound {bound} above 1");
            if (kind == ConvolutionKind.Orthogonal) Assert.True(actual >= bound * (1 - 1e-9), $"{layer.Name}: the announced bound {bound} is not the operator norm {actual}");
        }
        Assert.InRange(exported.LipschitzBound, 0.05, 1 + 3e-3);
    }

    [Theory]
    [InlineData(ConvolutionKind.Spectral)]
    [InlineData(ConvolutionKind.Orthogonal)]
    [InlineData(ConvolutionKind.Orthogonal, true)]
    public void TheBoundIsAboveEveryJacobianNormAndTheLowerBound(ConvolutionKind kind, bool downsampleInput = false)
    {
        using var network = TrainedBriefly(Of(kind, downsampleInput), seed: 3);
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

    [Theory]
    [InlineData(ConvolutionKind.Spectral)]
    [InlineData(ConvolutionKind.Orthogonal)]
    [InlineData(ConvolutionKind.Orthogonal, true)]
    public void SerializedWeightsRoundTripIntoTheSameFunctionAndBound(ConvolutionKind kind, bool downsampleInput = false)
    {
        using var network = TrainedBriefly(Of(kind, downsampleInput), seed: 5);
        using var exported = ExportedNetwork.From(network);
        using var loaded = ExportedNetwork.Deserialize(Of(kind, downsampleInput), exported.Serialize());
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
        // Circular padding needs the last convolution's input to hold the kernel: 8 → 4 → 2 < 3.
        Assert.Empty((Small with { Channels = [2, 2, 2] }).Validate());
        Assert.Contains("Channels", (Of(ConvolutionKind.Orthogonal) with { Channels = [2, 2, 2] }).Validate().Keys);
        Assert.Empty((Small with { Channels = [512] }).Validate());
        Assert.Contains("down-sampling doubles it past 512", (Of(ConvolutionKind.Orthogonal) with { Channels = [512] }).Validate()["Channels"]);
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
