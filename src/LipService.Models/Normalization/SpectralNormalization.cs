using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Normalization;

/// <summary>
/// Power iteration and Björck orthonormalization on kernels stored torch-style as (out, in).
/// </summary>
/// <remarks>
/// Björck runs on the small Gram matrix: every iterate has the form A_t = A_0·P_t with P_t a
/// polynomial in G = A_0ᵀA_0, so P_{t+1} = (1+β)P_t − β·P_t(P_t G P_t) gives the same A_t while each
/// step costs k×k products (k = min(in, out)) instead of products with the 784-wide kernel — the
/// bulk of the constraint's cost in the notebook's network.
/// </remarks>
public static class SpectralNormalization
{
    /// <summary>
    /// Warm-started power iteration for the largest singular value of <paramref name="weight"/>.
    /// </summary>
    /// <param name="weight">Kernel (out, in).</param>
    /// <param name="u">Current unit row vector (1, out); not modified.</param>
    /// <param name="options">Stopping rule and gradient handling.</param>
    /// <param name="iterations">Overrides the maximum number of steps (used for the warm-up at build time).</param>
    /// <returns>The new vector (1, out) and σ (1, 1); σ carries gradient to <paramref name="weight"/>.</returns>
    public static (Tensor U, Tensor Sigma) PowerIteration(Tensor weight, Tensor u, NormalizationOptions options, int? iterations = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(u);
        int maxIter = iterations ?? options.MaxIterSpectral;
        bool stopGrad = options.StopGradientThroughU;
        // With gradient through u, autograd keeps the first iterate; the caller overwrites its buffer in place.
        Tensor current = stopGrad ? u : u.clone();
        using (stopGrad ? no_grad() : null)
        {
            var w = stopGrad ? weight.detach() : weight;
            for (int i = 0; i < maxIter; i++)
            {
                var v = nn.functional.normalize(current.mm(w), p: 2, dim: 1);
                var next = nn.functional.normalize(v.mm(w.t()), p: 2, dim: 1);
                bool converged = options.EpsSpectral > 0
                    && (next - current).norm().item<float>() < options.EpsSpectral;
                current = next;
                if (converged) break;
            }
        }
        var sigma = current.mm(weight).norm().reshape(1, 1);
        return (current, sigma);
    }

    /// <summary>
    /// Björck orthonormalization W ← (1+β)W − β·W·WᵀW until ‖ΔW‖_F &lt; EpsBjorck or MaxIterBjorck steps.
    /// </summary>
    /// <param name="weight">A matrix with spectral norm ≤ 1 (any orientation).</param>
    /// <returns>The same-shaped matrix with singular values pushed towards 1; gradient flows through every step.</returns>
    public static Tensor Bjorck(Tensor weight, NormalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(weight);
        // The iteration commutes with transposition, so work on the tall orientation: its Gram XᵀX is the small one.
        bool transpose = weight.shape[0] < weight.shape[1];
        var x = transpose ? weight.t() : weight;
        int done = 0;
        while (done < options.MaxIterBjorck)
        {
            // P's entries grow like 1/s_min; restarting from X·P bounds that growth (and float32 round-off).
            int chunk = Math.Min(GramRestartInterval, options.MaxIterBjorck - done);
            var (p, steps, converged) = GramIterations(x.t().mm(x), chunk, options);
            x = x.mm(p);
            done += steps;
            if (converged) break;
        }
        return transpose ? x.t() : x;
    }

    /// <summary>At most this many Björck steps run on one Gram matrix before re-anchoring.</summary>
    private const int GramRestartInterval = 5;

    /// <summary>
    /// Up to <paramref name="maxSteps"/> Björck steps on the Gram matrix G = X₀ᵀX₀ (k×k): every iterate
    /// is X₀·P with P a polynomial in G, and P ← (1+β)P − β·P(PGP) costs k×k products only.
    /// </summary>
    private static (Tensor P, int Steps, bool Converged) GramIterations(Tensor gram, int maxSteps, NormalizationOptions options)
    {
        float beta = (float)options.BetaBjorck;
        var eye = torch.eye(gram.shape[0], dtype: gram.dtype, device: gram.device);
        // Explicit scalars: TorchSharp's implicit ones can be finalized mid-call by another thread's collection.
        using var onePlusBeta = (1 + (double)beta).ToScalar();
        using var minusBeta = (-(double)beta).ToScalar();
        // The first step from P₀ = I needs no products.
        var p = eye.mul(onePlusBeta).add_(gram, minusBeta);
        if (options.EpsBjorck > 0 && ChangeNorm(gram, p - eye) < options.EpsBjorck) return (p, 1, true);
        for (int step = 2; step <= maxSteps; step++)
        {
            var q = p.mm(gram).mm(p);
            var next = torch.addmm(p, p, q, beta: 1 + beta, alpha: -beta);
            bool converged = options.EpsBjorck > 0 && ChangeNorm(gram, next - p) < options.EpsBjorck;
            p = next;
            if (converged) return (p, step, true);
        }
        return (p, maxSteps, false);
    }

    /// <summary>‖X₀·ΔP‖_F = sqrt(tr(ΔPᵀ G ΔP)), the change of the iterate in the kernel's own space.</summary>
    private static double ChangeNorm(Tensor gram, Tensor deltaP)
    {
        using var _ = no_grad();
        return Math.Sqrt(Math.Max(0, (gram.mm(deltaP) * deltaP).sum().item<float>()));
    }

    /// <summary>
    /// Reshaped-kernel orthogonalization: W̄ = Björck(W / (σ + ε)) for a kernel (out, in).
    /// </summary>
    /// <remarks>
    /// With <see cref="NormalizationOptions.StopGradientThroughU"/> (the default) σ and the Björck step
    /// count come from the eigenvalues of the small Gram matrix and the Björck steps run as one matrix
    /// function of it (<see cref="SpectralBjorckFunction"/>): the same stopping rule and the same
    /// gradient as iterating, with σ exact instead of a power iteration's estimate. Gradient through
    /// <c>u</c> (deel-lip 1.2) has no such closed form, so that preset iterates.
    /// </remarks>
    /// <returns>W̄ (out, in) with gradient to <paramref name="weight"/>, the new power vector and σ.</returns>
    public static (Tensor Normalized, Tensor U, Tensor Sigma) Orthogonalize(Tensor weight, Tensor u, NormalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(options);
        if (options.StopGradientThroughU) return OrthogonalizeByGramSpectrum(weight, options);

        var (uNext, sigma) = PowerIteration(weight, u, options);
        using var epsilon = options.EpsSpectral.ToScalar();
        var divisor = options.AddEpsToSigma ? sigma.add(epsilon, HeldScalars.One) : sigma;
        var scaled = weight / divisor;
        if (options.MaxIterBjorck == 0) return (scaled, uNext, sigma);

        return (Bjorck(scaled, options), uNext, sigma);
    }

    /// <summary>W̄ = M·W (or W·M when out &gt; in) with M = <see cref="GramFactor"/>; σ and u without gradient.</summary>
    internal static (Tensor Normalized, Tensor U, Tensor Sigma) OrthogonalizeByGramSpectrum(Tensor weight, NormalizationOptions options)
    {
        var (factor, spectrum, vectors) = GramFactor(weight, options);
        bool rows = spectrum.Rows;
        var normalized = rows ? factor.mm(weight) : weight.mm(factor);

        using var _ = no_grad();
        // The top eigenvector of WWᵀ is u itself; of WᵀW it is v, and u = Wv/σ.
        var top = vectors.select(1, -1).to(weight.dtype);
        var uNext = rows ? top.reshape(1, -1) : nn.functional.normalize(weight.detach().mv(top).reshape(1, -1), p: 2, dim: 1);
        using var sigmaValue = spectrum.Sigma.ToScalar(); // explicit: see AdamOptimizer on TorchSharp's implicit scalars
        var sigma = full(1, 1, sigmaValue, dtype: weight.dtype, device: weight.device);
        return (normalized, uNext, sigma);
    }

    /// <summary>
    /// The k×k factor M of the default reparametrization, with gradient to <paramref name="weight"/>:
    /// W̄ = M·W when the spectrum's <c>Rows</c> (out ≤ in), else W̄ = W·M. M is symmetric, so a dense layer can apply it
    /// to activations instead of forming W̄: x·W̄ᵀ = (x·Wᵀ)·M, or (x·M)·Wᵀ.
    /// </summary>
    internal static (Tensor Factor, GramSpectrum Spectrum, Tensor Vectors) GramFactor(Tensor weight, NormalizationOptions options)
    {
        var (spectrum, vectors) = GramSpectrum.Of(weight, options);
        return (SpectralBjorckFunction.Apply(weight, vectors, spectrum), spectrum, vectors);
    }
}
