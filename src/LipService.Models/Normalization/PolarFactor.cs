using static TorchSharp.torch;

namespace LipService.Models.Normalization;

/// <summary>
/// The orthogonal factor Q = W(WᵀW)^{-1/2} of a free matrix W (rows orthonormal when it is wide,
/// columns when it is tall), with its exact gradient: the building block of the orthogonal
/// convolutions, whose parameters are free matrices mapped to orthogonal ones on every step.
/// </summary>
/// <remarks>
/// Björck's iteration converges to exactly this factor, so Q is the default reparametrization
/// (<see cref="SpectralNormalization.Orthogonalize"/>) with the stopping rule tightened until the
/// iterate no longer moves in float32: it is evaluated from the eigenvalues of the small Gram matrix,
/// so sixty steps cost what one does, and the backward is the Daleckii–Krein derivative of the whole
/// iteration (<see cref="SpectralBjorckFunction"/>). Orthogonality to ~1e-6 is what it gives; the
/// certificates never rely on it, they are computed from the exported kernel.
/// </remarks>
public static class PolarFactor
{
    /// <summary>Björck until ‖ΔW‖_F &lt; 1e-6 (at most 60 steps: enough from a condition number of 10⁶).</summary>
    internal static NormalizationOptions Options { get; } = NormalizationOptions.Default with
    {
        EpsSpectral = 1e-6,
        EpsBjorck = 1e-6,
        MaxIterBjorck = 60,
    };

    /// <summary>Q for a matrix (rows, columns), with gradient to <paramref name="weight"/>.</summary>
    public static Tensor Of(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2) throw new ArgumentException($"A polar factor is taken of a matrix; got {weight.dim()} dimensions.", nameof(weight));
        return SpectralNormalization.OrthogonalizeByGramSpectrum(weight, Options).Normalized;
    }
}
