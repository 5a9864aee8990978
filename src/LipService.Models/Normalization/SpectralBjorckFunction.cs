using System.Runtime.InteropServices;
using static TorchSharp.torch;
using System.Numerics;

namespace LipService.Models.Normalization;

/// <summary>
/// M = p_n(G/d²)/d for a kernel W, with G its small Gram matrix (WWᵀ when out ≤ in, else WᵀW),
/// d = √λ_max(G) (+ ε) and p_n Björck's n steps: the k×k factor that turns W into its spectrally
/// normalized, Björck-orthonormalized form (W̄ = M·W, or W·M), as one autograd node whose backward
/// is the exact derivative of those n steps and of σ.
/// </summary>
/// <remarks>
/// Autograd through the iterated matrices records three products per Björck step and runs twice that
/// many backward; here the backward is one product with W and four k×k ones. The derivative of a
/// matrix function V·diag(f(μ))·Vᵀ is V·(Φ ∘ (Vᵀ·M̄·V))·Vᵀ with Φ the divided differences of f
/// (Daleckii–Krein); σ adds c·v_max·v_maxᵀ with c = Σ_i ∂f(μ_i)/∂d · (Vᵀ·M̄·V)_ii / (2σ), since
/// ∂σ/∂G = v_max·v_maxᵀ/(2σ); and G = WWᵀ gives W the gradient (Ḡ + Ḡᵀ)·W (W·(Ḡ + Ḡᵀ) for WᵀW).
/// Arguments: W, the eigenvectors of G (k×k float64) and <see cref="GramSpectrum"/>.
/// </remarks>
internal sealed class SpectralBjorckFunction : autograd.SingleTensorFunction<SpectralBjorckFunction>
{
    public override string Name => nameof(SpectralBjorckFunction);

    public static Tensor Apply(Tensor weight, Tensor vectors, GramSpectrum spectrum) => apply(weight, vectors, spectrum);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var weight = (Tensor)vars[0];
        var vectors = (Tensor)vars[1];
        var spectrum = (GramSpectrum)vars[2];
        ctx.save_for_backward([weight, vectors]);
        ctx.save_data(nameof(GramSpectrum), spectrum);
        return Factor(vectors, spectrum, weight.dtype);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var spectrum = (GramSpectrum)ctx.get_data(nameof(GramSpectrum));
        return [WeightGradient(gradOutput, saved[0], saved[1], spectrum), null!, null!];
    }

    /// <summary>M = V·diag(p_n(λ)/d)·Vᵀ in <paramref name="dtype"/>, without gradient.</summary>
    internal static Tensor Factor(Tensor vectors, GramSpectrum spectrum, ScalarType dtype)
    {
        int k = spectrum.Values.Length;
        var scaled = new double[k];
        for (int i = 0; i < k; i++) scaled[i] = spectrum.Values[i] / spectrum.Divisor;
        using var diagonal = tensor(scaled, [1, k], float64);
        return vectors.mul(diagonal).mm(vectors.t()).to(dtype);
    }

    /// <summary>The gradient W receives through M from M̄: (Ḡ + Ḡᵀ)·W, or W·(Ḡ + Ḡᵀ) for G = WᵀW.</summary>
    internal static Tensor WeightGradient(Tensor gradM, Tensor weight, Tensor vectors, GramSpectrum spectrum)
    {
        var gradGram = GramGradient(gradM, vectors, spectrum).to(weight.dtype);
        var symmetric = gradGram.add(gradGram.t(), HeldScalars.One);
        return spectrum.Rows ? symmetric.mm(weight) : weight.mm(symmetric);
    }

    /// <summary>Ḡ from M̄: V·(Φ ∘ (Vᵀ·M̄·V))·Vᵀ plus the term through σ, in float64.</summary>
    private static Tensor GramGradient(Tensor gradM, Tensor vectors, GramSpectrum spectrum)
    {
        int k = spectrum.Values.Length;
        double d = spectrum.Divisor;
        using var rotated = vectors.t().mm(gradM.to(float64)).mm(vectors);
        var b = MemoryMarshal.Cast<byte, double>(rotated.bytes);
        var kernel = BjorckPolynomial.DividedDifferences(spectrum.Lambda, spectrum.Beta, spectrum.Steps);
        // f(μ) = p_n(μ/d²)/d: its divided differences in μ are those of p_n in λ over d³, and
        // ∂f/∂d at fixed μ = −(2λ·p_n′(λ) + p_n(λ))/d², with p_n′(λ_i) = D_ii.
        double sigmaTerm = 0;
        for (int i = 0; i < k; i++)
            sigmaTerm -= (2 * spectrum.Lambda[i] * kernel[i * k + i] + spectrum.Values[i]) / (d * d) * b[i * k + i];
        ScaledProduct(kernel, b, 1 / (d * d * d));
        if (spectrum.Sigma > 0) kernel[k * k - 1] += sigmaTerm / (2 * spectrum.Sigma);
        using var inner = tensor(kernel, [k, k], float64);
        return vectors.mm(inner).mm(vectors.t());
    }

    /// <summary>x ← x ∘ y · scale, elementwise.</summary>
    private static void ScaledProduct(Span<double> x, ReadOnlySpan<double> y, double scale)
    {
        int i = 0;
        var vScale = new Vector<double>(scale);
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(x[i..]) * new Vector<double>(y[i..]) * vScale).CopyTo(x[i..]);
        for (; i < x.Length; i++) x[i] *= y[i] * scale;
    }
}
