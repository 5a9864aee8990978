using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// A proven upper bound on the L2 operator norm of a stride-1, zero-padded 2-D convolution, from its
/// kernel alone: √(kh·kw)·σ_max(kernel reshaped to (out, in·kh·kw)), σ by SVD in float64. Each input
/// pixel enters at most kh·kw patches, and each patch is mapped by the reshaped kernel.
/// </summary>
public static class ConvolutionBound
{
    public static double Of(Tensor kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.dim() != 4) throw new ArgumentException($"A 2-D convolution kernel is (out, in, kh, kw); got {kernel.dim()} dimensions.", nameof(kernel));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var reshaped = kernel.detach().to(float64).cpu().reshape(kernel.shape[0], -1);
        double sigma = linalg.svdvals(reshaped).max().item<double>();
        return Math.Sqrt(kernel.shape[2] * kernel.shape[3]) * sigma;
    }
}
