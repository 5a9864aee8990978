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
    /// <summary>Forms the Gram matrix of <paramref name="weight"/> (out, in) and decomposes it in float64, without gradient.</summary>
    /// <returns>The spectrum and the eigenvectors (k×k float64, columns in ascending eigenvalue order).</returns>
    public static (GramSpectrum Spectrum, Tensor Vectors) Of(Tensor weight, NormalizationOptions options)
    {
        using var _ = no_grad();
        bool rows = weight.shape[0] <= weight.shape[1];
        var w = weight.detach();
        using var gram = rows ? w.mm(w.t()) : w.t().mm(w);
        var (eigenvalues, vectors) = linalg.eigh(gram.to(float64));
        var mu = MemoryMarshal.Cast<byte, double>(eigenvalues.bytes).ToArray();
        eigenvalues.Dispose();
        double sigma = Math.Sqrt(Math.Max(0, mu[^1]));
        double divisor = options.AddEpsToSigma ? sigma + options.EpsSpectral : sigma;
        double scale = 1 / (divisor * divisor);
        for (int i = 0; i < mu.Length; i++) mu[i] = Math.Max(0, mu[i]) * scale;
        int steps = BjorckPolynomial.Steps(mu, options);
        var values = BjorckPolynomial.Values(mu, options.BetaBjorck, steps);
        return (new GramSpectrum(rows, mu, sigma, divisor, steps, options.BetaBjorck, values), vectors);
    }
}
