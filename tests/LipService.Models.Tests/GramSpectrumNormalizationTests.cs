using LipService.Models.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>
/// The default reparametrization (σ and Björck's steps taken from the Gram matrix's eigenvalues, one
/// autograd node) against the textbook: power-iteration σ with u held constant, then Björck iterated
/// matrix by matrix with autograd through every step — values and gradients, in float64.
/// </summary>
public class GramSpectrumNormalizationTests
{
    public static TheoryData<int, int> Shapes => new() { { 32, 784 }, { 16, 32 }, { 64, 16 }, { 1, 16 }, { 16, 1 }, { 24, 24 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValueAndGradientEqualIteratedBjorck(int outFeatures, int inFeatures)
    {
        using var scope = NewDisposeScope();
        var options = NormalizationOptions.Default with { EpsBjorck = 0, MaxIterBjorck = 8 };
        using var spread = 0.3.ToScalar();
        var start = randn(outFeatures, inFeatures, dtype: float64, generator: new Generator(21)) * spread;
        var upstream = randn(outFeatures, inFeatures, dtype: float64, generator: new Generator(22));

        var fast = start.clone().requires_grad_();
        var (normalized, _, sigma) = SpectralNormalization.Orthogonalize(fast, zeros(1, outFeatures, dtype: float64), options);
        (normalized * upstream).sum().backward();

        var reference = start.clone().requires_grad_();
        var expected = Textbook(reference, options, options.MaxIterBjorck);
        (expected * upstream).sum().backward();

        double scale = expected.abs().max().item<double>();
        Assert.True((normalized - expected).abs().max().item<double>() <= 1e-12 * Math.Max(1, scale));
        double gradScale = reference.grad!.abs().max().item<double>();
        double gradError = (fast.grad! - reference.grad!).abs().max().item<double>();
        // Both sides are float64 and differ only in the order of operations (eigenvalues vs products).
        Assert.True(gradError <= 1e-9 * gradScale, $"gradient differs by {gradError} (scale {gradScale})");
        Tolerance.Relative(Spectra.SingularValues(start).Max(), sigma.item<double>(), 1e-12);
    }

    [Theory]
    [InlineData(32, 784, 1e-3)]
    [InlineData(16, 32, 1e-3)]
    [InlineData(64, 16, 1e-5)]
    public void EpsilonStopsAtTheStepTheIterationStopsAt(int outFeatures, int inFeatures, double eps)
    {
        using var scope = NewDisposeScope();
        var options = NormalizationOptions.Default with { EpsBjorck = eps };
        var weight = randn(outFeatures, inFeatures, dtype: float64, generator: new Generator(31));

        var (normalized, _, _) = SpectralNormalization.Orthogonalize(weight, zeros(1, outFeatures, dtype: float64), options);

        // The textbook loop with its ‖A_t − A_{t−1}‖_F test, in float64.
        int steps = 0;
        var a = Textbook(weight, options, 0);
        while (steps < options.MaxIterBjorck)
        {
            var next = Step(a, options.BetaBjorck);
            steps++;
            bool converged = (next - a).norm().item<double>() < eps;
            a = next;
            if (converged) break;
        }
        Assert.InRange(steps, 2, options.MaxIterBjorck - 1); // the test means something only if ε decided
        Assert.True((normalized - a).abs().max().item<double>() <= 1e-12);
    }

    [Fact]
    public void ZeroBjorckStepsIsSpectralNormalizationAlone()
    {
        using var scope = NewDisposeScope();
        var options = NormalizationOptions.Default with { MaxIterBjorck = 0 };
        var weight = randn(16, 32, dtype: float64, generator: new Generator(41)).requires_grad_();
        var (normalized, _, _) = SpectralNormalization.Orthogonalize(weight, zeros(1, 16, dtype: float64), options);
        normalized.sum().backward();

        var reference = weight.detach().clone().requires_grad_();
        var expected = Textbook(reference, options, 0);
        expected.sum().backward();

        Assert.True((normalized - expected).abs().max().item<double>() <= 1e-12);
        Assert.True((weight.grad! - reference.grad!).abs().max().item<double>() <= 1e-10);
    }

    [Fact]
    public void PowerVectorIsTheTopLeftSingularVector()
    {
        using var scope = NewDisposeScope();
        foreach (var (o, i) in new[] { (16, 32), (32, 8) })
        {
            var weight = randn(o, i, generator: new Generator(51));
            var (_, u, _) = SpectralNormalization.Orthogonalize(weight, zeros(1, o), NormalizationOptions.Default);
            var (left, _, _) = linalg.svd(weight.to(float64), fullMatrices: false);
            double alignment = Math.Abs(u.to(float64).mm(left.narrow(1, 0, 1)).item<double>());
            Tolerance.Absolute(1, alignment, 1e-5);
        }
    }

    /// <summary>σ = ‖u·W‖ with u the exact top left singular vector held constant, then n textbook Björck steps.</summary>
    private static Tensor Textbook(Tensor weight, NormalizationOptions options, int steps)
    {
        Tensor u;
        using (no_grad())
        {
            var (left, _, _) = linalg.svd(weight.detach(), fullMatrices: false);
            u = left.narrow(1, 0, 1).t();
        }
        var sigma = u.mm(weight).norm();
        using var epsilon = options.EpsSpectral.ToScalar();
        var a = weight / (options.AddEpsToSigma ? sigma.add(epsilon, HeldScalars.One) : sigma);
        for (int t = 0; t < steps; t++) a = Step(a, options.BetaBjorck);
        return a;
    }

    private static Tensor Step(Tensor a, double beta)
    {
        using var onePlusBeta = (1 + beta).ToScalar();
        using var betaScalar = beta.ToScalar();
        return onePlusBeta * a - betaScalar * a.mm(a.t()).mm(a);
    }
}
