using LipService.Models.Layers;
using LipService.Models.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>
/// Large SpectralDense kernels decompose their float32 Gram matrix in float32 (half the time of
/// float64 at k = 256); the factor they get must agree with the float64 decomposition far inside the
/// 1e-3 that Björck's stopping rule already allows, and the orthogonal layers' polar factors keep float64.
/// </summary>
public class GramSpectrumPrecisionTests
{
    [Theory]
    [InlineData(256, 3136)]
    [InlineData(256, 256)]
    [InlineData(3136, 256)]
    public void SinglePrecisionFactorMatchesFloat64(int outFeatures, int inFeatures)
    {
        using var scope = NewDisposeScope();
        var options = NormalizationOptions.Default;
        Assert.True(GramSpectrum.InSinglePrecision(Math.Min(outFeatures, inFeatures), options));
        // A trained kernel's shape: orthogonal rows (columns) bent by a perturbation of its own size
        // over ten, so the Gram matrix's condition number is a few units, as in training.
        using var bend = (0.1 / Math.Sqrt(Math.Max(outFeatures, inFeatures))).ToScalar();
        var weight = KernelInit.Orthogonal(outFeatures, inFeatures, new Generator(41))
            .add(randn(outFeatures, inFeatures, generator: new Generator(42)), bend);

        var (single, singleVectors) = GramSpectrum.Of(weight, options, singlePrecision: true);
        var (twice, twiceVectors) = GramSpectrum.Of(weight, options, singlePrecision: false);
        var singleFactor = SpectralBjorckFunction.Factor(singleVectors, single, float64);
        var twiceFactor = SpectralBjorckFunction.Factor(twiceVectors, twice, float64);

        Assert.Equal(twice.Steps, single.Steps);
        Tolerance.Relative(twice.Sigma, single.Sigma, 1e-5);
        // float32 eigh of a float32 Gram matrix: a backward error of order k·2⁻²⁴·‖G‖ ≈ 1.5e-5 at k = 256,
        // amplified by the factor's Lipschitz constant on a spectrum of condition ≈ 1.5 (a few units).
        double difference = (singleFactor - twiceFactor).abs().max().item<double>();
        Assert.True(difference <= 1e-4, $"float32 and float64 factors differ by {difference}");

        // What the layer uses: its singular values are as close to 1 as Björck's 1e-3 rule makes them.
        var normalized = twice.Rows ? singleFactor.mm(weight.to(float64)) : weight.to(float64).mm(singleFactor);
        var sigmas = linalg.svdvals(normalized);
        Assert.InRange(sigmas.max().item<double>(), 0.99, 1 + 1e-4);
        Assert.InRange(sigmas.min().item<double>(), 0.99, 1 + 1e-4);
    }

    [Fact]
    public void PolarFactorsAndSmallMatricesKeepFloat64()
    {
        Assert.False(GramSpectrum.InSinglePrecision(256, PolarFactor.Options));
        Assert.False(GramSpectrum.InSinglePrecision(64, NormalizationOptions.Default));
        Assert.False(GramSpectrum.InSinglePrecision(512, NormalizationOptions.Deel2021));
    }
}
