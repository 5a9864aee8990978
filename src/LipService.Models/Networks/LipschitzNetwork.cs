using LipService.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Networks;

/// <summary>
/// The trainable network a <see cref="LipschitzNetworkSpec"/> describes. Inputs of any shape
/// (B, …) holding InputSize values per sample are flattened, or shaped as images for
/// convolutions; the output is (B, Outputs).
/// </summary>
public sealed class LipschitzNetwork : nn.Module<Tensor, Tensor>
{
    private Sequential layers;
    private readonly ILipschitzLinear[] linearLayers;

    public LipschitzNetwork(LipschitzNetworkSpec spec, Generator? generator = null) : base(nameof(LipschitzNetwork))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.EnsureValid();
        Spec = spec;
        var options = spec.Normalization.ToOptions();
        var linears = new List<ILipschitzLinear>();
        var modules = NetworkLayout.Build(spec, layer =>
        {
            nn.Module<Tensor, Tensor> linear = layer switch
            {
                { Kind: LayerKind.Convolution } => new SpectralConv2D(layer.InFeatures, layer.OutFeatures, layer.KernelSize, layer.Bias, options, generator),
                { Kind: LayerKind.OrthogonalConvolution } => new OrthoConv2D(layer.InFeatures, layer.OutFeatures, layer.KernelSize, PaddingKind.Circular, layer.Bias, generator),
                { Kind: LayerKind.OrthogonalDownsampling } => new OrthoDownsample2D(layer.InFeatures, layer.OutFeatures, layer.Bias, generator),
                { IsOutput: true } when spec.OutputLayer == OutputLayerKind.Frobenius => new FrobeniusDense(layer.InFeatures, layer.OutFeatures, layer.Bias, generator: generator),
                _ => new SpectralDense(layer.InFeatures, layer.OutFeatures, layer.Bias, options, generator),
            };
            linears.Add((ILipschitzLinear)linear);
            return linear;
        });
        layers = nn.Sequential(modules);
        linearLayers = [.. linears];
        RegisterComponents();
    }

    public LipschitzNetworkSpec Spec { get; }

    /// <summary>The constrained linear layers in order.</summary>
    public IReadOnlyList<ILipschitzLinear> LinearLayers => linearLayers;

    public override Tensor forward(Tensor input) => layers.forward(NetworkLayout.Shape(Spec, input));

    /// <summary>Recomputes every cached kernel from the raw kernels (after optimizer steps, before eval or export).</summary>
    public void Refresh()
    {
        foreach (var layer in linearLayers) layer.Refresh();
    }

    public ParameterCounts CountParameters()
    {
        long trainable = 0, state = 0;
        foreach (var p in parameters()) trainable += p.numel();
        foreach (var b in buffers()) state += b.numel();
        return new ParameterCounts(trainable, state);
    }
}
