using LipService.Models.Activations;
using LipService.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Networks;

/// <summary>
/// The trainable network a <see cref="LipschitzNetworkSpec"/> describes. Inputs of any shape
/// (B, …) are flattened to (B, InputSize); the output is (B, Outputs).
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
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linears = new List<ILipschitzLinear>();
        foreach (var layer in spec.Layers())
        {
            nn.Module<Tensor, Tensor> linear = layer.IsOutput && spec.OutputLayer == OutputLayerKind.Frobenius
                ? new FrobeniusDense(layer.InFeatures, layer.OutFeatures, layer.Bias, generator: generator)
                : new SpectralDense(layer.InFeatures, layer.OutFeatures, layer.Bias, options, generator);
            modules.Add((layer.Name, linear));
            linears.Add((ILipschitzLinear)linear);
            if (layer.ActivationName is { } activation)
                modules.Add((activation, ActivationFactory.Create(spec.Activation, layer.OutFeatures, spec.GroupSize)));
        }
        layers = nn.Sequential(modules);
        linearLayers = [.. linears];
        RegisterComponents();
    }

    public LipschitzNetworkSpec Spec { get; }

    /// <summary>The constrained linear layers in order.</summary>
    public IReadOnlyList<ILipschitzLinear> LinearLayers => linearLayers;

    public override Tensor forward(Tensor input) => layers.forward(input.reshape(input.shape[0], -1));

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
