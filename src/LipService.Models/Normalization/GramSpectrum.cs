using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace LipService.Models.Normalization;

/// <summary>
/// The eigen-decomposition of a kernel's small Gram matrix G (k×k, k = min(in, out)) and what the
/// reparametrization needs from it: σ = √λ_max(G), the divisor d = σ (+ ε), Björck's step count
/// and the values of its polynomial on λ(G)/d².
/// </summary>
/// <remarks>
/// Host-side numbers only; the eigenvectors stay a tensor owned by the caller's dispose scope.
/// </remarks>
/// <param name="Rows">G = WWᵀ and W̄ = M·W (out ≤ in); otherwise G = WᵀW and W̄ = W·M.</param>
/// <param name="Lambda">Eigenvalues of G/d², ascending, clamped at 0 (round-off can make the smallest slightly negative).</param>
/// <param name="Sigma">√λ_max(G), the kernel's largest singular value.</param>
/// <param name="Divisor">d = σ (+ ε).</param>
/// <param name="Steps">Björck's step count n under the ε rule.</param>
/// <param name="Beta">Björck's β.</param>
/// <param name="Values">p_n(λ_i): the reparametrized kernel is W̄ = (V·diag(p_n(λ))·Vᵀ / d)·W (rows form).</param>
internal sealed record GramSpectrum(bool Rows, double[] Lambda, double Sigma, double Divisor, int Steps, double Beta, double[] Values)
{
    /// <summary>Forms the Gram matrix of <paramref name="weight"/> (out, in) and decomposes it (see <see cref="InSinglePrecision"/>), without gradient.</summary>
    /// <returns>The spectrum and the eigenvectors (k×k float64, columns in ascending eigenvalue order).</returns>
    public static (GramSpectrum Spectrum, Tensor Vectors) Of(Tensor weight, NormalizationOptions options)
        => Of(weight, options, InSinglePrecision(Math.Min(weight.shape[0], weight.shape[1]), options));

    /// <summary><see cref="Of(Tensor, NormalizationOptions)"/> with the precision chosen by the caller (tests compare the two).</summary>
    internal static (GramSpectrum Spectrum, Tensor Vectors) Of(Tensor weight, NormalizationOptions options, bool singlePrecision)
    {
        using var _ = no_grad();
        bool rows = weight.shape[0] <= weight.shape[1];
        var w = weight.detach();
        using var gram = rows ? w.mm(w.t()) : w.t().mm(w);
        var (eigenvalues, vectors) = linalg.eigh(singlePrecision ? gram : gram.to(float64));
        using (eigenvalues)
        using (var values = eigenvalues.to(float64))
        using (vectors)
            return (Spectrum(rows, MemoryMarshal.Cast<byte, double>(values.bytes).ToArray(), options), vectors.to(float64));
    }

    /// <summary>
    /// Whether the Gram matrix (in the weight's precision) is decomposed as it is rather than in float64.
    /// </summary>
    /// <remarks>
    /// Float64 doubles the eigh's time, which at k ≥ 128 is most of a SpectralDense step (k = 256: ≈ 13 ms
    /// float32 against 28 ms float64 at one thread). It buys nothing where Björck stops at ‖ΔA‖_F ≥ 1e-4
    /// (the default stops at 1e-3): a float32 eigh of a float32 Gram matrix errs by ~k·1e-7 of λ_max. The
    /// polar factors of the orthogonal layers ask for 1e-6 on possibly ill-conditioned matrices and
    /// keep float64, as do small matrices, whose eigh costs microseconds either way. The divided
    /// differences of the backward always run in float64.
    /// </remarks>
    internal static bool InSinglePrecision(long order, NormalizationOptions options)
        => order >= SinglePrecisionFromOrder && options.EpsBjorck >= SinglePrecisionTolerance;

    internal const long SinglePrecisionFromOrder = 128;

    internal const double SinglePrecisionTolerance = 1e-4;

    private static GramSpectrum Spectrum(bool rows, double[] mu, NormalizationOptions options)
    {
        double sigma = Math.Sqrt(Math.Max(0, mu[^1]));
        double divisor = options.AddEpsToSigma ? sigma + options.EpsSpectral : sigma;
        double scale = 1 / (divisor * divisor);
        for (int i = 0; i < mu.Length; i++) mu[i] = Math.Max(0, mu[i]) * scale;
        int steps = BjorckPolynomial.Steps(mu, options);
        var values = BjorckPolynomial.Values(mu, options.BetaBjorck, steps);
        return new GramSpectrum(rows, mu, sigma, divisor, steps, options.BetaBjorck, values);
    }
}
