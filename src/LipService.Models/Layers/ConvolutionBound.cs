using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// Proven upper bounds on the L2 operator norm of a stride-1, zero "same"-padded 2-D convolution,
/// computed from its kernel in float64.
/// </summary>
/// <remarks>
/// <see cref="Reshaped"/>: √(kh·kw)·σ_max(kernel reshaped to (out, in·kh·kw)) — each input pixel
/// enters at most kh·kw patches, and each patch is mapped by the reshaped kernel. Holds for any
/// input size, and is what <see cref="SpectralConv2D"/> normalizes to 1.
/// <para>
/// <see cref="Circulant"/>: on an H×W input, the padded convolution is the crop of a circular
/// convolution on the (H+kh−1)×(W+kw−1) torus applied to the input embedded with zeros: the added
/// rows and columns are as wide as the padding on both sides, so no wrap-around reaches the input.
/// Embedding is an isometry and cropping a projection, so the norm is at most the circular one,
/// which is exactly the largest singular value of the (out, in) matrices of the kernel's 2-D DFT over
/// that torus (circulant blocks are diagonalized by the DFT). Much tighter than the reshaped bound
/// in practice (that one assumes every patch aligns with the worst direction at once).
/// </para>
/// </remarks>
public static class ConvolutionBound
{
    /// <summary>The smaller of the two proven bounds for an input of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static double Of(Tensor kernel, long height, long width) => Math.Min(Reshaped(kernel), Circulant(kernel, height, width).Max);

    public static double Reshaped(Tensor kernel)
    {
        double sigma = DisjointPatches(kernel).Max;
        return Math.Sqrt(kernel.shape[2] * kernel.shape[3]) * sigma;
    }

    /// <summary>
    /// Largest singular value of the circular convolution on the torus that contains the padded one
    /// (<see cref="ConvolutionBound"/> remarks), and the smallest over all frequencies (informative only:
    /// cropping can shrink a convolution's smallest singular value further).
    /// </summary>
    public static (double Min, double Max) Circulant(Tensor kernel, long height, long width)
    {
        CheckKernel(kernel);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        return DftSpectrum(kernel, height + kernel.shape[2] - 1, width + kernel.shape[3] - 1);
    }

    /// <summary>
    /// The circular convolution (stride 1, wrap-around padding) on an H×W input: the singular values
    /// of the kernel's 2-D DFT on that very grid (a block-circulant matrix is block-diagonalized by the
    /// DFT). The largest is exactly the operator's norm; the smallest is the operator's when
    /// out ≥ in (otherwise it has a null space). An orthogonal kernel gives (1, 1) up to its float32 rounding.
    /// </summary>
    public static (double Min, double Max) CircularSpectrum(Tensor kernel, long height, long width)
    {
        CheckKernel(kernel);
        // A kernel wider than the torus would wrap onto itself; the DFT below would truncate it instead.
        if (height < kernel.shape[2] || width < kernel.shape[3])
            throw new ArgumentException($"A circular convolution needs an input at least as large as its {kernel.shape[2]}×{kernel.shape[3]} kernel (got {height}×{width}).");
        return DftSpectrum(kernel, height, width);
    }

    /// <summary>
    /// The singular-value range of the reshaped kernel (out, in·kh·kw). For a convolution whose stride
    /// equals its kernel size (disjoint patches, no padding) — a permutation of the input followed by
    /// that matrix at every position — the largest is exactly the operator's norm, and the smallest is
    /// the operator's when out ≥ in·kh·kw (otherwise it has a null space).
    /// </summary>
    public static (double Min, double Max) DisjointPatches(Tensor kernel)
    {
        CheckKernel(kernel);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = linalg.svdvals(kernel.detach().to(float64).cpu().reshape(kernel.shape[0], -1));
        return (values.min().item<double>(), values.max().item<double>());
    }

    /// <summary>Smallest and largest singular value of the (out, in) matrices of the kernel's DFT on a rows×columns grid, in float64.</summary>
    private static (double Min, double Max) DftSpectrum(Tensor kernel, long rows, long columns)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var spectrum = fft.fftn(kernel.detach().to(float64).cpu(), s: [rows, columns], dim: [2, 3]);
        // (out, in, rows, columns) → one (out, in) matrix per frequency.
        var values = linalg.svdvals(spectrum.permute(2, 3, 0, 1));
        return (values.min().item<double>(), values.max().item<double>());
    }

    private static void CheckKernel(Tensor kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.dim() != 4) throw new ArgumentException($"A 2-D convolution kernel is (out, in, kh, kw); got {kernel.dim()} dimensions.", nameof(kernel));
    }
}
