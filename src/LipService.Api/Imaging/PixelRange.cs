using System.Numerics.Tensors;

namespace LipService.Api.Imaging;

/// <summary>The one check every way of sending pixels shares: finite numbers in [0, 1].</summary>
public static class PixelRange
{
    /// <summary>Null when every value is a finite number in [0, 1]; otherwise what is wrong, for the client.</summary>
    /// <remarks>
    /// An empty image is refused here: its length is judged only once the model is known (an uploaded
    /// dataset's model takes another length than MNIST's), and there is no range to take of nothing.
    /// </remarks>
    public static string? Problem(ReadOnlySpan<float> pixels)
    {
        if (pixels.IsEmpty) return "The image has no pixel values: send 784 for an MNIST model, channels × height × width for an uploaded dataset's.";
        // Max propagates NaN, so one comparison catches NaN, ±Infinity and out-of-range values.
        float min = TensorPrimitives.Min(pixels), max = TensorPrimitives.Max(pixels);
        return min >= 0 && max <= 1 ? null : $"Pixel values must be finite numbers in [0, 1]; found values from {min} to {max}.";
    }
}
