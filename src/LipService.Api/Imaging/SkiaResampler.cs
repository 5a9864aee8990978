using SkiaSharp;

namespace LipService.Api.Imaging;

/// <summary>Draws a bitmap through a matrix into a new premultiplied RGBA bitmap.</summary>
internal static class SkiaResampler
{
    // Trilinear mipmaps average every source pixel when shrinking by large factors, where plain
    // linear or cubic sampling would skip pixels and let thin strokes vanish or alias.
    private static readonly SKSamplingOptions Smooth = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public static SKImageInfo Rgba(int width, int height) =>
        new(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> bitmap, transparent where the source does not reach.</summary>
    /// <param name="exact">Nearest-neighbour sampling, for matrices that map pixels onto pixels.</param>
    public static SKBitmap Render(SKBitmap source, SKMatrix matrix, int width, int height, bool exact = false)
    {
        var target = Allocate(width, height);
        try
        {
            using var pixels = source.PeekPixels();
            using var image = SKImage.FromPixels(pixels);
            using var canvas = new SKCanvas(target);
            canvas.Clear(SKColors.Transparent);
            canvas.SetMatrix(matrix);
            canvas.DrawImage(image, 0, 0, exact ? new SKSamplingOptions(SKFilterMode.Nearest) : Smooth, null);
            canvas.Flush();
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>The source scaled down to at most <paramref name="maxSide"/> per side, aspect kept.</summary>
    public static SKBitmap FitWithin(SKBitmap source, int maxSide)
    {
        float scale = (float)maxSide / Math.Max(source.Width, source.Height);
        int width = Math.Clamp((int)MathF.Round(source.Width * scale), 1, maxSide);
        int height = Math.Clamp((int)MathF.Round(source.Height * scale), 1, maxSide);
        return Render(source, SKMatrix.CreateScale((float)width / source.Width, (float)height / source.Height), width, height);
    }

    /// <summary>Allocates a tightly packed bitmap, so rows can be addressed as <c>y * width * 4</c>.</summary>
    public static SKBitmap Allocate(int width, int height)
    {
        var bitmap = new SKBitmap();
        var info = Rgba(width, height);
        if (!bitmap.TryAllocPixels(info, info.RowBytes))
        {
            bitmap.Dispose();
            throw new InvalidOperationException($"Could not allocate a {width}×{height} bitmap.");
        }
        return bitmap;
    }
}
