using SkiaSharp;
using Drawing = LipService.Api.Tests.Imaging.DigitImages;

namespace LipService.Api.Tests.Http;

/// <summary>MNIST digits as the image files a user would upload.</summary>
internal static class DigitImages
{
    /// <summary>A PNG of the digit, scaled up <paramref name="scale"/> times; <paramref name="invert"/> gives black ink on white paper.</summary>
    public static byte[] Png(byte[] pixels, int scale = 1, bool invert = false)
        => Drawing.Encode(
            invert
                ? Drawing.Draw(pixels, Drawing.BlackOnWhite, SKColors.White, scale, 28 * scale, 28 * scale)
                : Drawing.Draw(pixels, Drawing.WhiteOnBlack, SKColors.Black, scale, 28 * scale, 28 * scale),
            SKEncodedImageFormat.Png);
}
