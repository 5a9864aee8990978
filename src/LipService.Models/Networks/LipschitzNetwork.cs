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
        long width = spec.InputSize;
        for (int i = 0; i < spec.Hidden.Count; i++)
        {
            var dense = new SpectralDense(width, spec.Hidden[i], spec.HiddenBias, options, generator);
            modules.Add(($"dense{i}", dense));
            linears.Add(dense);
            width = spec.Hidden[i];
            modules.Add(($"act{i}", ActivationFactory.Create(spec.Activation, width, spec.GroupSize)));
        }
        nn.Module<Tensor, Tensor> output = spec.OutputLayer == OutputLayerKind.Frobenius
            ? new FrobeniusDense(width, spec.Outputs, spec.OutputBias, generator: generator)
            : new SpectralDense(width, spec.Outputs, spec.OutputBias, options, generator);
        modules.Add(("output", output));
        linears.Add((ILipschitzLinear)output);
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
