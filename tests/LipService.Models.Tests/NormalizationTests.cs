using LipService.Models.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class NormalizationTests
{
    // (out, in) in torch layout; the shapes 784×32, 32×16, 16×1 are deel-lip's (in, out).
    public static TheoryData<int, int> Shapes => new() { { 32, 784 }, { 16, 32 }, { 1, 16 }, { 64, 64 }, { 64, 16 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void NormalizedKernelHasSpectralNormAtMostOne(int outFeatures, int inFeatures)
    {
        using var scope = NewDisposeScope();
        using var three = 3.ToScalar();
        var weight = randn(outFeatures, inFeatures, generator: new Generator(7)) * three;
        var u = nn.functional.normalize(randn(1, outFeatures, generator: new Generator(8)), p: 2, dim: 1);
        var warm = SpectralNormalization.PowerIteration(weight, u, NormalizationOptions.Default, iterations: 50).U;
        var (normalized, _, _) = SpectralNormalization.Orthogonalize(weight, warm, NormalizationOptions.Default);

        // 1e-3 is the tolerance the issue grants: σ is estimated, and Björck stops at ‖ΔA‖ < 1e-3.
        Assert.True(Spectra.SingularValues(normalized).Max() <= 1 + 1e-3);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BjorckMakesEverySingularValueOne(int outFeatures, int inFeatures)
    {
        using var scope = NewDisposeScope();
        var weight = randn(outFeatures, inFeatures, generator: new Generator(11));
        var u = nn.functional.normalize(randn(1, outFeatures, generator: new Generator(12)), p: 2, dim: 1);
        // A random Gaussian square matrix has condition number ~n²: Björck gains about ×1.5 per step
        // on the smallest singular values, so it needs more than the default 15 steps there.
        var options = outFeatures == inFeatures
            ? NormalizationOptions.Default with { MaxIterBjorck = 40, EpsBjorck = 1e-6, EpsSpectral = 1e-6, MaxIterSpectral = 200 }
            : NormalizationOptions.Default with { EpsSpectral = 1e-6, MaxIterSpectral = 200 };
        var (normalized, _, _) = SpectralNormalization.Orthogonalize(weight, u, options);

        foreach (double s in Spectra.SingularValues(normalized)) Assert.InRange(s, 1 - 1e-2, 1 + 1e-2);
    }

    [Theory]
    [InlineData(784, 32)]
    [InlineData(32, 784)]
    [InlineData(64, 64)]
    public void GramFormEqualsTheTextbookBjorckIteration(int rows, int cols)
    {
        using var scope = NewDisposeScope();
        var a0 = randn(rows, cols, dtype: float64, generator: new Generator(3));
        using var divisor = (Spectra.SingularValues(a0).Max() * 1.01).ToScalar();
        a0 /= divisor;
        var options = NormalizationOptions.Deel2021; // fixed 15 steps, β = 0.25
        using var onePlusBeta = (1 + options.BetaBjorck).ToScalar();
        using var beta = options.BetaBjorck.ToScalar();
        var direct = a0;
        for (int t = 0; t < options.MaxIterBjorck; t++)
            direct = onePlusBeta * direct - beta * direct.mm(direct.t().mm(direct));

        var viaGram = SpectralNormalization.Bjorck(a0, options);

        Assert.True((viaGram - direct).abs().max().item<double>() < 1e-10);
    }

    [Fact]
    public void WarmStartedPowerIterationFindsTheLargestSingularValue()
    {
        using var scope = NewDisposeScope();
        var weight = randn(32, 784, generator: new Generator(5));
        var u = nn.functional.normalize(randn(1, 32, generator: new Generator(6)), p: 2, dim: 1);
        var (_, sigma) = SpectralNormalization.PowerIteration(weight, u, NormalizationOptions.Default with { EpsSpectral = 0 }, iterations: 100);

        double exact = Spectra.SingularValues(weight).Max();
        Assert.InRange(sigma.item<float>(), exact * (1 - 1e-4), exact * (1 + 1e-4));
    }

    [Fact]
    public void EpsilonStoppingUsesFewStepsOnceWarm()
    {
        using var scope = NewDisposeScope();
        var weight = randn(32, 784, generator: new Generator(9));
        var u = nn.functional.normalize(randn(1, 32, generator: new Generator(10)), p: 2, dim: 1);
        var warm = SpectralNormalization.PowerIteration(weight, u, NormalizationOptions.Default, iterations: 100).U;

        // From a converged vector one step moves u by less than ε, so the result is that step's.
        var once = SpectralNormalization.PowerIteration(weight, warm, NormalizationOptions.Default with { EpsSpectral = 0 }, iterations: 1).U;
        var stopped = SpectralNormalization.PowerIteration(weight, warm, NormalizationOptions.Default).U;
        Assert.True((once - stopped).abs().max().item<float>() == 0f);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => (NormalizationOptions.Default with { BetaBjorck = 0.7 }).Validate());
        Assert.Throws<ArgumentException>(() => (NormalizationOptions.Default with { MaxIterSpectral = 0 }).Validate());
    }
}
