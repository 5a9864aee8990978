using SkiaSharp;

namespace LipService.Api.Tests.Http;

/// <summary>Renders MNIST digits as image files, the way a user would upload them.</summary>
internal static class DigitImages
{
    /// <summary>A PNG of the digit, scaled up <paramref name="scale"/> times; <paramref name="invert"/> gives black ink on white paper.</summary>
    public static byte[] Png(byte[] pixels, int scale = 1, bool invert = false, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var small = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        var span = small.GetPixelSpan();
        for (int i = 0; i < 784; i++) span[i] = invert ? (byte)(255 - pixels[i]) : pixels[i];
        using var scaled = small.Resize(new SKImageInfo(28 * scale, 28 * scale, SKColorType.Gray8, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Linear));
        using var image = SKImage.FromBitmap(scaled);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }
}
