namespace LipService.Models.Normalization;

/// <summary>
/// How a spectral layer turns its raw kernel into the kernel it uses: power iteration for the
/// largest singular value, then Björck orthonormalization.
/// </summary>
/// <remarks>
/// <see cref="Default"/> follows deel-lip ≥ 1.4 (ε-stopped iterations, σ + ε, no gradient through
/// <c>u</c>). It is computed from the eigenvalues of the kernel's small Gram matrix
/// (<see cref="SpectralNormalization.Orthogonalize"/>): σ exactly — the point the warm-started power
/// iteration converges to, so <see cref="MaxIterSpectral"/> has nothing left to bound — and Björck's
/// steps with the same ‖ΔA‖_F &lt; <see cref="EpsBjorck"/> rule, evaluated exactly. <see cref="Deel2021"/>
/// reproduces the notebook's deel-lip 1.2 behaviour (exactly 3 power steps with gradient through
/// them, 15 Björck steps with β = 0.25) by iterating. Neither is trusted for certificates: exported
/// networks compute their bound from the weights by SVD.
/// </remarks>
public sealed record NormalizationOptions
{
    /// <summary>Stop the power iteration when ‖u − u_prev‖ falls below this (0 runs all iterations); also the ε of σ + ε.</summary>
    public double EpsSpectral { get; init; } = 1e-3;

    public int MaxIterSpectral { get; init; } = 10;

    /// <summary>Stop Björck when ‖A_t − A_{t−1}‖_F falls below this; 0 runs all iterations.</summary>
    public double EpsBjorck { get; init; } = 1e-3;

    /// <summary>0 disables Björck: the layer is then only ≤ 1-Lipschitz, not gradient-norm preserving.</summary>
    public int MaxIterBjorck { get; init; } = 15;

    public double BetaBjorck { get; init; } = 0.5;

    /// <summary>Divide by σ + EpsSpectral: keeps ‖W/σ‖ strictly below 1 when σ is slightly underestimated.</summary>
    public bool AddEpsToSigma { get; init; } = true;

    /// <summary>Treat <c>u</c> as a constant for autodiff (gradient still flows through σ).</summary>
    public bool StopGradientThroughU { get; init; } = true;

    /// <summary>Power steps run once when a layer is built, so that σ is accurate from the first step.</summary>
    public int WarmupIterSpectral { get; init; } = 50;

    public static NormalizationOptions Default { get; } = new();

    public static NormalizationOptions Deel2021 { get; } = new()
    {
        EpsSpectral = 0,
        MaxIterSpectral = 3,
        EpsBjorck = 0,
        MaxIterBjorck = 15,
        BetaBjorck = 0.25,
        AddEpsToSigma = false,
        StopGradientThroughU = false,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (EpsSpectral < 0 || double.IsNaN(EpsSpectral)) throw new ArgumentException("EpsSpectral must be ≥ 0.", nameof(EpsSpectral));
        if (MaxIterSpectral < 1) throw new ArgumentException("MaxIterSpectral must be ≥ 1.", nameof(MaxIterSpectral));
        if (EpsBjorck < 0 || double.IsNaN(EpsBjorck)) throw new ArgumentException("EpsBjorck must be ≥ 0.", nameof(EpsBjorck));
        if (MaxIterBjorck < 0) throw new ArgumentException("MaxIterBjorck must be ≥ 0.", nameof(MaxIterBjorck));
        if (!(BetaBjorck > 0 && BetaBjorck <= 0.5)) throw new ArgumentException("BetaBjorck must be in (0, 0.5].", nameof(BetaBjorck));
        if (WarmupIterSpectral < 0) throw new ArgumentException("WarmupIterSpectral must be ≥ 0.", nameof(WarmupIterSpectral));
    }
}
