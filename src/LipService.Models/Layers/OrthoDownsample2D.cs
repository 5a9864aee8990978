using LipService.Models.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// A 2×2, stride-2 convolution whose reshaped kernel M (out, in·4) is orthogonal (RKO, "reshaped
/// kernel orthogonalization"): it halves height and width, replaces the L2-norm pooling, and is
/// exactly as Lipschitz as M, since its 2×2 patches are disjoint.
/// </summary>
/// <remarks>
/// The operator is a pixel-unshuffle (a permutation) followed by M applied at every position, so its
/// singular values are M's: with out ≤ 4·in, M has orthonormal rows, the layer is 1-Lipschitz and its
/// backward pass preserves gradient norms. Parameter <c>weight</c> (out, in·4), free; buffer
/// <c>wbar</c> (out, in, 2, 2), its polar factor as eval mode and the export use it.
/// </remarks>
public sealed class OrthoDownsample2D : nn.Module<Tensor, Tensor>, ILipschitzLinear
{
    public const long Factor = 2;

    // Field names are the checkpoint keys.
    private Parameter weight;
    private Parameter? bias;
    private Tensor wbar;

    public OrthoDownsample2D(long inChannels, long outChannels, bool useBias = true, Generator? generator = null)
        : base(nameof(OrthoDownsample2D))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        InChannels = inChannels;
        OutChannels = outChannels;
        weight = new Parameter(KernelInit.Orthogonal(outChannels, inChannels * Factor * Factor, generator));
        bias = useBias ? new Parameter(zeros(outChannels)) : null;
        wbar = zeros(outChannels, inChannels, Factor, Factor);
        RegisterComponents();
        Refresh();
    }

    public long InChannels { get; }

    public long OutChannels { get; }

    long ILipschitzLinear.InFeatures => InChannels;

    long ILipschitzLinear.OutFeatures => OutChannels;

    public Tensor NormalizedWeight => wbar;

    public Tensor? Bias => bias;

    public override Tensor forward(Tensor input)
    {
        var kernel = training ? Kernel() : wbar;
        return nn.functional.conv2d(input, kernel, bias, strides: [Factor, Factor]);
    }

    public void Refresh()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Kernel();
    }

    private Tensor Kernel()
    {
        var kernel = PolarFactor.Of(weight).reshape(OutChannels, InChannels, Factor, Factor);
        using (no_grad()) wbar.copy_(kernel);
        return kernel;
    }
}
