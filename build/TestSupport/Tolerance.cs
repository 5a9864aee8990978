namespace LipService.TestSupport;

/// <summary>
/// Comparisons of floating-point results that reach a test by two paths. Rounding both sides to N
/// decimals is never used: a value near a rounding boundary flips with the machine's SIMD width.
/// Each caller states the tolerance its arithmetic justifies.
/// </summary>
internal static class Tolerance
{
    /// <summary>2⁻²³, the spacing of float32 values in [1, 2).</summary>
    public const double Float32Epsilon = 1.0 / (1 << 23);

    /// <summary>2⁻⁵², the spacing of float64 values in [1, 2).</summary>
    public const double Float64Epsilon = 1.0 / (1L << 52);

    /// <summary>|expected − actual| ≤ relative · max(|expected|, |actual|).</summary>
    public static void Relative(double expected, double actual, double relative)
    {
        double allowed = relative * Math.Max(Math.Abs(expected), Math.Abs(actual));
        double difference = Math.Abs(expected - actual);
        Assert.True(difference <= allowed,
            $"expected {expected:R}, actual {actual:R}: |Δ| = {difference:R} exceeds the relative tolerance {relative:R} (= {allowed:R})");
    }

    /// <summary>|expected − actual| ≤ absolute.</summary>
    public static void Absolute(double expected, double actual, double absolute)
    {
        double difference = Math.Abs(expected - actual);
        Assert.True(difference <= absolute,
            $"expected {expected:R}, actual {actual:R}: |Δ| = {difference:R} exceeds the absolute tolerance {absolute:R}");
    }
}
