using LipService.Models.Layers;
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
/// <see cref="LipschitzBound"/> is the product of each layer's proven bound: a dense kernel's
/// largest singular value (exact SVD, float64), a convolution's <see cref="ConvolutionBound.Of"/>;
/// every activation, pooling and flattening used here is 1-Lipschitz. It is a true upper bound on the network's
/// L2 Lipschitz constant, whatever the training converged to, so certificates |f(x)|/L computed
/// with it hold for this very set of weights. Inference equals the training network in eval mode.
/// <para>
/// Creating and disposing TorchSharp modules leaks native memory that no dispose reaches (measured
/// with TorchSharp 0.107: ≈0.6 KB per <c>nn.Linear</c>, ≈2 KB per network of the default spec,
/// while the live tensor count stays flat). A service that loads and evicts models all day would
/// grow without bound, so disposed CPU networks are kept on a small shelf per layer structure and
/// <see cref="Deserialize"/> loads the next model's weights into one of them instead of building
/// new modules. The shelf's size is capped, so what it holds is a constant, not a growth.
/// </para>
/// </remarks>
public sealed class ExportedNetwork : nn.Module<Tensor, Tensor>
{
    private Sequential layers;
    private readonly nn.Module<Tensor, Tensor>[] linears;
    private readonly LayerPlan[] plans;

    /// <summary>Builds the layer structure of <paramref name="spec"/>; weights come from <see cref="From"/> or <see cref="Deserialize"/>.</summary>
    private ExportedNetwork(LipschitzNetworkSpec spec) : base(nameof(ExportedNetwork))
    {
        spec.EnsureValid();
        Spec = spec;
        var linearList = new List<nn.Module<Tensor, Tensor>>();
        var modules = NetworkLayout.Build(spec, layer =>
        {
            nn.Module<Tensor, Tensor> linear = layer.IsConvolution
                ? nn.Conv2d(layer.InFeatures, layer.OutFeatures, layer.KernelSize, stride: layer.Stride, padding: layer.Padding, bias: layer.Bias,
                    padding_mode: layer.Kind == LayerKind.OrthogonalConvolution ? PaddingModes.Circular : PaddingModes.Zeros)
                : nn.Linear(layer.InFeatures, layer.OutFeatures, layer.Bias);
            linearList.Add(linear);
            return linear;
        });
        layers = nn.Sequential(modules);
        linears = [.. linearList];
        plans = [.. spec.Layers()];
        RegisterComponents();
        eval();
    }

    public LipschitzNetworkSpec Spec { get; private set; }

    /// <summary>Product of the layers' proven bounds (<see cref="Spectra"/>); set by <see cref="From"/> and <see cref="Deserialize"/>.</summary>
    public double LipschitzBound { get; private set; }

    private IReadOnlyList<LayerSpectrum> spectra = [];

    public override Tensor forward(Tensor input) => layers.forward(NetworkLayout.Shape(Spec, input));

    /// <summary>Copies the cached normalized kernels (as used in eval mode) and biases of <paramref name="network"/>.</summary>
    public static ExportedNetwork From(LipschitzNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        bool onCpu = network.ParameterDevice().type == DeviceType.CPU;
        // copy_ overwrites every kernel and bias, so a shelved network serves as well as a new one.
        var exported = (onCpu ? Shelf.Take(network.Spec) : null) ?? new ExportedNetwork(network.Spec);
        using (no_grad())
        {
            for (int i = 0; i < exported.linears.Length; i++)
            {
                var source = network.LinearLayers[i];
                exported.Weight(i).copy_(source.NormalizedWeight);
                exported.Bias(i)?.copy_(source.Bias!);
            }
        }
        exported.to(network.ParameterDevice());
        exported.Prove();
        return exported;
    }

    /// <summary>Loads weights written by <see cref="Serialize"/> and recomputes the bound from them.</summary>
    public static ExportedNetwork Deserialize(LipschitzNetworkSpec spec, byte[] weights, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        bool onCpu = device is null || device.type == DeviceType.CPU;
        var exported = (onCpu ? Shelf.Take(spec) : null) ?? new ExportedNetwork(spec);
        try
        {
            // load copies into the existing parameters and checks every name and shape (strict), so a
            // shelved network keeps nothing of the model it held before.
            using (var stream = new MemoryStream(weights, writable: false)) exported.load(stream);
            if (!onCpu) exported.to(device!);
            exported.Prove();
            return exported;
        }
        catch
        {
            exported.Destroy();
            throw;
        }
    }

    /// <summary>The weights in TorchSharp's module format (the bound is recomputed on load, never trusted from bytes).</summary>
    public byte[] Serialize()
    {
        // Module.save closes the stream it writes to; MemoryStream.ToArray still works after that.
        var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Per layer, in order: a dense kernel's singular-value range (SVD, float64); for a zero-padded
    /// convolution, the proven bound on its operator norm at its input size (<see cref="ConvolutionBound.Of"/>)
    /// and the smallest singular value over the frequencies of the circulant it embeds in; for a circular
    /// one its DFT spectrum on its own torus, for the down-sampling its reshaped kernel's (both exact).
    /// Computed from the weights when <see cref="From"/> or <see cref="Deserialize"/> set them.
    /// </summary>
    public IReadOnlyList<LayerSpectrum> Spectra() => spectra;

    private LayerSpectrum[] ComputeSpectra()
    {
        var result = new LayerSpectrum[linears.Length];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < linears.Length; i++)
        {
            var plan = plans[i];
            var weight = Weight(i).detach();
            switch (plan.Kind)
            {
                case LayerKind.Convolution:
                    var (min, _) = ConvolutionBound.Circulant(weight, plan.Height, plan.Width);
                    result[i] = new LayerSpectrum(plan.Name, min, ConvolutionBound.Of(weight, plan.Height, plan.Width));
                    continue;
                case LayerKind.OrthogonalConvolution:
                    var circular = ConvolutionBound.CircularSpectrum(weight, plan.Height, plan.Width);
                    result[i] = new LayerSpectrum(plan.Name, circular.Min, circular.Max);
                    continue;
                case LayerKind.OrthogonalDownsampling:
                    var patches = ConvolutionBound.DisjointPatches(weight);
                    result[i] = new LayerSpectrum(plan.Name, patches.Min, patches.Max);
                    continue;
            }
            var values = linalg.svdvals(weight.to(float64).cpu());
            result[i] = new LayerSpectrum(plan.Name, values.min().item<double>(), values.max().item<double>());
        }
        return result;
    }

    /// <summary>The modules in the order forward runs them, by their state-dict names ("conv0", "conv0_act", …).</summary>
    internal IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> Modules()
    {
        foreach (var (name, module) in layers.named_children()) yield return (name, (nn.Module<Tensor, Tensor>)module);
    }

    /// <summary>Copies of every kernel (out, in) and bias, in layer order, on the CPU; dense networks only.</summary>
    public IReadOnlyList<(float[,] Weight, float[]? Bias)> Kernels()
    {
        if (Spec.IsConvolutional) throw new InvalidOperationException("Kernels() copies dense layers only; this network has convolutions.");
        var result = new (float[,], float[]?)[linears.Length];
        using var scope = NewDisposeScope();
        for (int i = 0; i < linears.Length; i++)
        {
            var w = Weight(i).detach().cpu();
            var copy = new float[w.shape[0], w.shape[1]];
            w.data<float>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref copy[0, 0], copy.Length));
            result[i] = (copy, Bias(i)?.detach().cpu().data<float>().ToArray());
        }
        return result;
    }

    private Tensor Weight(int layer) => linears[layer] switch
    {
        Linear linear => linear.weight!,
        Conv2d conv => conv.weight!,
        _ => throw new InvalidOperationException($"Unexpected layer {linears[layer].GetType().Name}."),
    };

    private Tensor? Bias(int layer) => linears[layer] switch
    {
        Linear linear => linear.bias,
        Conv2d conv => conv.bias,
        _ => null,
    };

    /// <summary>
    /// Shelves a CPU network for the next <see cref="Deserialize"/> or <see cref="From"/> of the same
    /// structure, destroys it when the shelf is full. Like any dispose, the caller must not use the
    /// network afterwards: once shelved it may be serving another model.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            base.Dispose(false);
            return;
        }
        // A second dispose must neither destroy a shelved network nor shelve a destroyed one.
        if (state != State.Active) return;
        if (Shelf.TryPut(this)) return;
        state = State.Destroyed;
        base.Dispose(true);
    }

    /// <summary>Releases the modules for real, bypassing the shelf: for a network whose weights are unknown after a failed load.</summary>
    private void Destroy()
    {
        state = State.Destroyed;
        base.Dispose(true);
        GC.SuppressFinalize(this);
    }

    private enum State { Active, Shelved, Destroyed }

    private State state;

    private long ParameterBytes()
    {
        long bytes = 0;
        for (int i = 0; i < linears.Length; i++)
        {
            bytes += Weight(i).NumberOfElements * Weight(i).ElementSize;
            if (Bias(i) is { } bias) bytes += bias.NumberOfElements * bias.ElementSize;
        }
        return bytes;
    }

    private bool IsOnCpu => Weight(0).device_type == DeviceType.CPU && Weight(0).dtype == ScalarType.Float32;

    /// <summary>
    /// Disposed networks awaiting reuse, by layer structure. A model cache that evicts one model as it
    /// loads the next needs one per structure; two cover a load that overlaps an eviction. The byte
    /// cap keeps wide networks from pinning much memory.
    /// </summary>
    private static class Shelf
    {
        private const int PerStructure = 2;
        private const long MaxBytes = 64L * 1024 * 1024;
        private static readonly Lock Gate = new();
        private static readonly Dictionary<string, Stack<ExportedNetwork>> Networks = [];
        private static long bytes;

        public static ExportedNetwork? Take(LipschitzNetworkSpec spec)
        {
            spec.EnsureValid();
            ExportedNetwork network;
            lock (Gate)
            {
                if (!Networks.TryGetValue(Key(spec), out var stack) || !stack.TryPop(out network!)) return null;
                bytes -= network.ParameterBytes();
            }
            network.state = State.Active;
            network.Spec = spec;
            network.LipschitzBound = 0;
            network.spectra = [];
            // A previous holder may have trained or back-propagated through it.
            network.zero_grad();
            network.eval();
            // Module.Dispose suppressed the finaliser when the network was shelved; an owner that never
            // disposes this one must still release its native modules.
            GC.ReRegisterForFinalize(network);
            return network;
        }

        public static bool TryPut(ExportedNetwork network)
        {
            if (!network.IsOnCpu) return false;
            long size = network.ParameterBytes();
            string key = Key(network.Spec);
            lock (Gate)
            {
                if (!Networks.TryGetValue(key, out var stack)) Networks[key] = stack = new Stack<ExportedNetwork>();
                if (stack.Count >= PerStructure || bytes + size > MaxBytes) return false;
                network.state = State.Shelved;
                stack.Push(network);
                bytes += size;
                return true;
            }
        }

        /// <summary>What decides the modules and parameter shapes; normalisation and output-layer kind only shaped the training.</summary>
        private static string Key(LipschitzNetworkSpec spec) =>
            $"{spec.Activation}/{spec.GroupSize}/" + string.Join(",", spec.Layers().Select(l => l.Shape));
    }

    /// <summary>Computes the layers' spectra from the current weights, and the bound, their product.</summary>
    private void Prove()
    {
        var computed = ComputeSpectra();
        double bound = 1;
        foreach (var spectrum in computed) bound *= spectrum.MaxSingularValue;
        if (!(bound > 0) || double.IsInfinity(bound))
            throw new InvalidOperationException($"The exported network has an unusable Lipschitz bound ({bound}); its weights are degenerate.");
        spectra = computed;
        LipschitzBound = bound;
    }
}
