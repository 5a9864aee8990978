using SkiaSharp;

namespace LipService.Api.Tests.Datasets;

/// <summary>Small encoded images whose every pixel a test can predict.</summary>
internal static class TestImages
{
    /// <summary>A gray PNG (stored as gray) whose pixel (x, y) is <c>(seed + x + 2y) mod 256</c>.</summary>
    public static byte[] GrayPng(int width, int height, int seed = 0)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
                pixels[(y * width) + x] = GrayAt(x, y, seed);
        }
        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    public static byte GrayAt(int x, int y, int seed = 0) => (byte)((seed + x + (2 * y)) % 256);

    /// <summary>An opaque colour PNG whose pixel (x, y) is <see cref="RgbAt"/>.</summary>
    public static byte[] RgbPng(int width, int height, int seed = 0) => Encode(Rgb(width, height, seed), SKEncodedImageFormat.Png);

    public static (byte R, byte G, byte B) RgbAt(int x, int y, int seed = 0) =>
        ((byte)((seed + (10 * x)) % 256), (byte)((seed + (7 * y)) % 256), (byte)((seed + x + y + 100) % 256));

    public static byte[] Jpeg(int width, int height) => Encode(Rgb(width, height, 0), SKEncodedImageFormat.Jpeg, 90);

    public static byte[] Webp(int width, int height) => Encode(Rgb(width, height, 0), SKEncodedImageFormat.Webp);

    private static SKBitmap Rgb(int width, int height, int seed)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = RgbAt(x, y, seed);
                int at = 4 * ((y * width) + x);
                pixels[at] = r;
                pixels[at + 1] = g;
                pixels[at + 2] = b;
                pixels[at + 3] = 255;
            }
        }
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using (bitmap)
        {
            using SKData data = bitmap.Encode(format, quality)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
            return data.ToArray();
        }
    }
}
