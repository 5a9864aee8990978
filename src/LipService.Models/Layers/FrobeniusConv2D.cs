using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// deel-lip's FrobeniusConv2D (stride 1, zero "same" padding): the whole kernel divided by its
/// Frobenius norm and scaled by 1/√(kh·kw). Since σ(M) ≤ ‖M‖_F the convolution is at most
/// 1-Lipschitz for any number of filters (gradient-norm preserving only for one), at no
/// power-iteration cost. State: <c>wbar</c>, the kernel eval mode uses.
/// </summary>
public sealed class FrobeniusConv2D : nn.Module<Tensor, Tensor>
{
    private Parameter weight;
    private Parameter? bias;
    private Tensor wbar;
    private readonly long[] padding;
    private readonly double coefficient;

    public FrobeniusConv2D(long inChannels, long outChannels, long kernelSize = 3, bool useBias = true, Generator? generator = null)
        : base(nameof(FrobeniusConv2D))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        SameConvolution.CheckKernelSize(kernelSize, nameof(FrobeniusConv2D));
        KernelSize = kernelSize;
        padding = SameConvolution.Padding(kernelSize);
        coefficient = SameConvolution.CoverageCoefficient(kernelSize);
        weight = new Parameter(SameConvolution.InitialKernel(inChannels, outChannels, kernelSize, generator));
        bias = useBias ? new Parameter(zeros(outChannels)) : null;
        wbar = weight.detach().clone();
        RegisterComponents();
        Refresh();
    }

    public long KernelSize { get; }

    public Tensor NormalizedWeight => wbar;

    public Tensor? Bias => bias;

    public override Tensor forward(Tensor input)
        => nn.functional.conv2d(input, training ? Normalize() : wbar, bias, padding: padding);

    public void Refresh()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Normalize();
    }

    private Tensor Normalize()
    {
        using var c = coefficient.ToScalar();
        var normalized = weight.div(weight.norm()).mul_(c);
        using (no_grad()) wbar.copy_(normalized);
        return normalized;
    }
}
