using LipService.Models.Activations;
using LipService.Models.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Export;

/// <summary>
/// A trained <see cref="LipschitzNetwork"/> as plain linear layers holding the normalized kernels,
/// with its Lipschitz bound computed from those kernels.
/// </summary>
/// <remarks>
/// <see cref="LipschitzBound"/> is the product of each kernel's largest singular value (exact SVD,
/// float64); every activation used here is 1-Lipschitz. It is a true upper bound on the network's
/// L2 Lipschitz constant, whatever the training converged to, so certificates |f(x)|/L computed
/// with it hold for this very set of weights. Inference equals the training network in eval mode.
/// </remarks>
public sealed class ExportedNetwork : nn.Module<Tensor, Tensor>
{
    private Sequential layers;
    private readonly Linear[] linears;

    /// <summary>Builds the layer structure of <paramref name="spec"/>; weights come from <see cref="From"/> or <see cref="Deserialize"/>.</summary>
    private ExportedNetwork(LipschitzNetworkSpec spec) : base(nameof(ExportedNetwork))
    {
        spec.EnsureValid();
        Spec = spec;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linearList = new List<Linear>();
        foreach (var layer in spec.Layers())
        {
            var linear = nn.Linear(layer.InFeatures, layer.OutFeatures, layer.Bias);
            modules.Add((layer.Name, linear));
            linearList.Add(linear);
            if (layer.ActivationName is { } activation)
                modules.Add((activation, ActivationFactory.Create(spec.Activation, layer.OutFeatures, spec.GroupSize)));
        }
        layers = nn.Sequential(modules);
        linears = [.. linearList];
        RegisterComponents();
        eval();
    }

    public LipschitzNetworkSpec Spec { get; }

    /// <summary>Product of the kernels' spectral norms; set by <see cref="From"/> and <see cref="Deserialize"/>.</summary>
    public double LipschitzBound { get; private set; }

    public override Tensor forward(Tensor input) => layers.forward(input.reshape(input.shape[0], -1));

    /// <summary>Copies the cached normalized kernels (as used in eval mode) and biases of <paramref name="network"/>.</summary>
    public static ExportedNetwork From(LipschitzNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var exported = new ExportedNetwork(network.Spec);
        using (no_grad())
        {
            for (int i = 0; i < exported.linears.Length; i++)
            {
                var source = network.LinearLayers[i];
                exported.linears[i].weight!.copy_(source.NormalizedWeight);
                exported.linears[i].bias?.copy_(source.Bias!);
            }
        }
        exported.to(network.ParameterDevice());
        exported.LipschitzBound = exported.ComputeLipschitzBound();
        return exported;
    }

    /// <summary>Loads weights written by <see cref="Serialize"/> and recomputes the bound from them.</summary>
    public static ExportedNetwork Deserialize(LipschitzNetworkSpec spec, byte[] weights, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        var exported = new ExportedNetwork(spec);
        using (var stream = new MemoryStream(weights, writable: false)) exported.load(stream);
        if (device is not null) exported.to(device);
        exported.LipschitzBound = exported.ComputeLipschitzBound();
        return exported;
    }

    /// <summary>The weights in TorchSharp's module format (the bound is recomputed on load, never trusted from bytes).</summary>
    public byte[] Serialize()
    {
        // Module.save closes the stream it writes to; MemoryStream.ToArray still works after that.
        var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }

    /// <summary>Singular-value range of every kernel, in layer order.</summary>
    public IReadOnlyList<LayerSpectrum> Spectra()
    {
        var result = new LayerSpectrum[linears.Length];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < linears.Length; i++)
        {
            var values = linalg.svdvals(linears[i].weight!.detach().to(float64).cpu());
            result[i] = new LayerSpectrum(i == linears.Length - 1 ? "output" : $"dense{i}", values.min().item<double>(), values.max().item<double>());
        }
        return result;
    }

    /// <summary>Copies of every kernel (out, in) and bias, in layer order, on the CPU.</summary>
    public IReadOnlyList<(float[,] Weight, float[]? Bias)> Kernels()
    {
        var result = new (float[,], float[]?)[linears.Length];
        using var scope = NewDisposeScope();
        for (int i = 0; i < linears.Length; i++)
        {
            var w = linears[i].weight!.detach().cpu();
            var copy = new float[w.shape[0], w.shape[1]];
            w.data<float>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref copy[0, 0], copy.Length));
            result[i] = (copy, linears[i].bias?.detach().cpu().data<float>().ToArray());
        }
        return result;
    }

    private double ComputeLipschitzBound()
    {
        double bound = 1;
        foreach (var spectrum in Spectra()) bound *= spectrum.MaxSingularValue;
        if (!(bound > 0) || double.IsInfinity(bound))
            throw new InvalidOperationException($"The exported network has an unusable Lipschitz bound ({bound}); its weights are degenerate.");
        return bound;
    }
}
