using LipService.Models.Normalization;
using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// The state SpectralDense and SpectralConv2D keep as buffers — the power-iteration vector u, the
/// estimate σ and the kernel W̄ eval mode uses — warmed up and updated the same way for both.
/// </summary>
internal static class SpectralBuffers
{
    /// <summary>
    /// A fixed number of power-iteration steps on the initial kernel (matrix form), so that the first
    /// training step starts from a converged u rather than a random one.
    /// </summary>
    public static void WarmUp(Tensor matrix, Tensor u, NormalizationOptions options)
    {
        var (warm, _) = SpectralNormalization.PowerIteration(matrix, u, options with { EpsSpectral = 0 }, options.WarmupIterSpectral);
        u.copy_(warm);
    }

    /// <summary>Stores the step's u, σ and normalized kernel, outside the autograd graph.</summary>
    public static void Keep(Tensor u, Tensor sigma, Tensor wbar, Tensor nextU, Tensor nextSigma, Tensor kernel)
    {
        using var _ = no_grad();
        u.copy_(nextU);
        sigma.copy_(nextSigma);
        wbar.copy_(kernel);
    }
}
