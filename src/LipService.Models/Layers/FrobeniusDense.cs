using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// deel-lip's FrobeniusDense: each output neuron's weights divided by their L2 norm
/// (<c>disjointNeurons</c>, the default) or the whole kernel by its Frobenius norm.
/// </summary>
/// <remarks>
/// With one output both modes equal SpectralDense(1) at no power-iteration cost — the
/// recommended last layer for binary HKR. With several disjoint outputs each head is 1-Lipschitz
/// but the vector map is not (up to √units). State: <c>wbar</c> only.
/// </remarks>
public sealed class FrobeniusDense : nn.Module<Tensor, Tensor>, ILipschitzLinear
{
    private Parameter weight;
    private Parameter? bias;
    private Tensor wbar;

    public FrobeniusDense(long inFeatures, long outFeatures, bool useBias = false, bool disjointNeurons = true, Generator? generator = null)
        : base(nameof(FrobeniusDense))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        DisjointNeurons = disjointNeurons;
        weight = new Parameter(KernelInit.Orthogonal(outFeatures, inFeatures, generator));
        bias = useBias ? new Parameter(zeros(outFeatures)) : null;
        wbar = weight.detach().clone();
        RegisterComponents();
        Refresh();
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public bool DisjointNeurons { get; }

    public Tensor NormalizedWeight => wbar;

    public Tensor? Bias => bias;

    public override Tensor forward(Tensor input)
    {
        if (!training) return nn.functional.linear(input, wbar, bias);
        return nn.functional.linear(input, Normalize(), bias);
    }

    public void Refresh()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Normalize();
    }

    /// <summary>The raw kernel (out, in), for <see cref="Networks.DenseHkrStep"/>.</summary>
    internal Parameter Kernel => weight;

    /// <summary>The normalized kernel as a training forward computes it (and stores in <c>wbar</c>).</summary>
    internal Tensor Normalize()
    {
        var norm = DisjointNeurons
            ? weight.norm(1, keepdim: true)
            : weight.norm();
        var normalized = weight / norm;
        using (no_grad()) wbar.copy_(normalized);
        return normalized;
    }
}
