using LipService.Models.Normalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// deel-lip's SpectralDense: a dense layer whose kernel is reparametrized as
/// Björck(W / σ(W)) on every training forward, so the layer is 1-Lipschitz and, with Björck,
/// gradient-norm preserving.
/// </summary>
/// <remarks>
/// Trainable: <c>weight</c> (out, in) and <c>bias</c>. Buffers (saved with the module, counted
/// as non-trainable like Keras does): <c>u</c> (1, out), <c>sigma</c> (1, 1) and <c>wbar</c>
/// (out, in). Eval mode uses <c>wbar</c> as is, so inference costs what a plain layer costs.
/// The guarantee is ‖wbar‖₂ ≤ 1 up to the iteration tolerances; certificates must use the
/// bound computed by SVD on export, not this promise.
/// <para>
/// With the default normalization a training forward never forms W̄: x·W̄ᵀ = (x·Wᵀ)·M with M the
/// k×k factor of <see cref="SpectralNormalization.GramFactor"/> (or (x·M)·Wᵀ when out &gt; in), which
/// saves three products with the kernel per step. The buffers are then brought up to date from the
/// current kernel when they are read: <see cref="NormalizedWeight"/>, <see cref="Sigma"/>,
/// <see cref="Refresh"/>, <c>eval()</c>, <c>state_dict()</c>. The deel-lip 1.2 preset updates them
/// every step, since its power iteration starts from the stored u.
/// </para>
/// </remarks>
public sealed class SpectralDense : nn.Module<Tensor, Tensor>, ILipschitzLinear
{
    // Field names are the checkpoint keys.
    private Parameter weight;
    private Parameter? bias;
    private Tensor u;
    private Tensor sigma;
    private Tensor wbar;
    private bool buffersBehindKernel;

    public SpectralDense(long inFeatures, long outFeatures, bool useBias = true, NormalizationOptions? options = null, Generator? generator = null)
        : base(nameof(SpectralDense))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        Options = options ?? NormalizationOptions.Default;
        Options.Validate();
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(KernelInit.Orthogonal(outFeatures, inFeatures, generator));
        bias = useBias ? new Parameter(zeros(outFeatures)) : null;
        u = nn.functional.normalize(randn(1, outFeatures, generator: generator), p: 2, dim: 1);
        sigma = ones(1, 1);
        wbar = weight.detach().clone();
        RegisterComponents();
        WarmUp();
    }

    public NormalizationOptions Options { get; }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Tensor NormalizedWeight
    {
        get
        {
            CatchUp();
            return wbar;
        }
    }

    public Tensor? Bias => bias;

    /// <summary>The largest singular value of the raw kernel as last estimated.</summary>
    public Tensor Sigma
    {
        get
        {
            CatchUp();
            return sigma;
        }
    }

    public override Tensor forward(Tensor input)
    {
        if (!training)
        {
            CatchUp();
            return nn.functional.linear(input, wbar, bias);
        }
        if (!Options.StopGradientThroughU) return nn.functional.linear(input, Normalize(), bias);

        var (factor, spectrum, _) = SpectralNormalization.GramFactor(weight, Options);
        buffersBehindKernel = true;
        return ThroughFactor(input, factor, spectrum.Rows, out _);
    }

    /// <summary>
    /// x·W̄ᵀ + b without forming W̄: (x·Wᵀ)·M + b when W̄ = M·W (<paramref name="rows"/>), else (x·M)·Wᵀ + b.
    /// </summary>
    /// <param name="projected">x·Wᵀ or x·M, which the layer's backward needs.</param>
    internal Tensor ThroughFactor(Tensor input, Tensor factor, bool rows, out Tensor projected)
    {
        if (!rows)
        {
            projected = input.mm(factor);
            return nn.functional.linear(projected, weight, bias);
        }
        projected = nn.functional.linear(input, weight);
        return bias is null ? projected.mm(factor) : addmm(bias, projected, factor, beta: 1, alpha: 1);
    }

    public void Refresh()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Normalize();
        buffersBehindKernel = false;
    }

    public override void train(bool on = true)
    {
        if (!on) CatchUp();
        base.train(on);
    }

    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        CatchUp();
        return base.state_dict(destination, prefix);
    }

    /// <summary>The raw kernel (out, in), for <see cref="Networks.DenseHkrStep"/>.</summary>
    internal Parameter Kernel => weight;

    /// <summary>Marks the buffers as behind the kernel, as a training forward does.</summary>
    internal void KernelTrained() => buffersBehindKernel = true;

    /// <summary>Recomputes the buffers when training steps ran since they were last written.</summary>
    private void CatchUp()
    {
        if (buffersBehindKernel) Refresh();
    }

    private void WarmUp()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        SpectralBuffers.WarmUp(weight, u, Options);
        Normalize();
    }

    /// <summary>Computes W̄ from the raw kernel and stores W̄, u and σ in the buffers.</summary>
    private Tensor Normalize()
    {
        var (normalized, uNext, sigmaNext) = SpectralNormalization.Orthogonalize(weight, u, Options);
        SpectralBuffers.Keep(u, sigma, wbar, uNext, sigmaNext, normalized);
        return normalized;
    }
}
