using LipService.Models.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// deel-lip's SpectralConv2D (stride 1, zero "same" padding): the reshaped kernel M (out, in·kh·kw)
/// is reparametrized as Björck(M / σ(M)) on every training forward and scaled by the coverage
/// coefficient c = 1/√(kh·kw), so the convolution is 1-Lipschitz.
/// </summary>
/// <remarks>
/// Why c = 1/√(kh·kw): every input pixel enters at most kh·kw patches, so
/// ‖conv(x)‖² = Σ_patches ‖M·patch‖² ≤ σ(M)²·kh·kw·‖x‖². deel-lip's default divides by the
/// average coverage instead (28/82 for 3×3 on 28×28), which is an estimate, not a bound; this layer
/// uses the worst case so that √(kh·kw)·σ(reshaped exported kernel) is a proven bound
/// (<see cref="ConvolutionBound"/>). Buffers as <see cref="SpectralDense"/>: <c>u</c> (1, out),
/// <c>sigma</c> (1, 1) and <c>wbar</c> (out, in, kh, kw), the kernel eval mode uses as is.
/// </remarks>
public sealed class SpectralConv2D : nn.Module<Tensor, Tensor>, ILipschitzLinear
{
    // Field names are the checkpoint keys.
    private Parameter weight;
    private Parameter? bias;
    private Tensor u;
    private Tensor sigma;
    private Tensor wbar;
    private readonly long[] padding;
    private readonly double coefficient;

    public SpectralConv2D(long inChannels, long outChannels, long kernelSize = 3, bool useBias = true, NormalizationOptions? options = null, Generator? generator = null)
        : base(nameof(SpectralConv2D))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        SameConvolution.CheckKernelSize(kernelSize, nameof(SpectralConv2D));
        Options = options ?? NormalizationOptions.Default;
        Options.Validate();
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        padding = SameConvolution.Padding(kernelSize);
        coefficient = SameConvolution.CoverageCoefficient(kernelSize);
        weight = new Parameter(SameConvolution.InitialKernel(inChannels, outChannels, kernelSize, generator));
        bias = useBias ? new Parameter(zeros(outChannels)) : null;
        u = nn.functional.normalize(randn(1, outChannels, generator: generator), p: 2, dim: 1);
        sigma = ones(1, 1);
        wbar = weight.detach().clone();
        RegisterComponents();
        WarmUp();
    }

    public NormalizationOptions Options { get; }

    public long InChannels { get; }

    public long OutChannels { get; }

    public long KernelSize { get; }

    long ILipschitzLinear.InFeatures => InChannels;

    long ILipschitzLinear.OutFeatures => OutChannels;

    /// <summary>The kernel in use in eval mode: c·Björck(M/σ) reshaped to (out, in, kh, kw).</summary>
    public Tensor NormalizedWeight => wbar;

    public Tensor? Bias => bias;

    public override Tensor forward(Tensor input)
    {
        var kernel = training ? Normalize() : wbar;
        return nn.functional.conv2d(input, kernel, bias, padding: padding);
    }

    public void Refresh()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Normalize();
    }

    private void WarmUp()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        SpectralBuffers.WarmUp(weight.reshape(OutChannels, -1), u, Options);
        Normalize();
    }

    /// <summary>Computes the scaled, orthogonalized kernel and stores it, u and σ in the buffers.</summary>
    private Tensor Normalize()
    {
        var (normalized, uNext, sigmaNext) = SpectralNormalization.Orthogonalize(weight.reshape(OutChannels, -1), u, Options);
        using var c = coefficient.ToScalar();
        var kernel = normalized.mul(c).reshape(weight.shape);
        SpectralBuffers.Keep(u, sigma, wbar, uNext, sigmaNext, kernel);
        return kernel;
    }
}
