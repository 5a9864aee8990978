using System.Numerics.Tensors;

namespace LipService.Api.Imaging;

/// <summary>The one check every way of sending pixels shares: finite numbers in [0, 1].</summary>
public static class PixelRange
{
    /// <summary>Null when every value is a finite number in [0, 1]; otherwise what is wrong, for the client.</summary>
    public static string? Problem(ReadOnlySpan<float> pixels)
    {
        // Max propagates NaN, so one comparison catches NaN, ±Infinity and out-of-range values.
        float min = TensorPrimitives.Min(pixels), max = TensorPrimitives.Max(pixels);
        return min >= 0 && max <= 1 ? null : $"Pixel values must be finite numbers in [0, 1]; found values from {min} to {max}.";
    }
}
