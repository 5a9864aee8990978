using System.Globalization;
using SkiaSharp;

namespace LipService.Api.Imaging;

/// <summary>
/// Checks an encoded image against <see cref="DigitImageOptions"/> and decodes it to premultiplied
/// RGBA in its displayed orientation.
/// </summary>
internal static class DigitImageDecoder
{
    private const string Formats = "PNG, JPEG, BMP, GIF, WebP, ICO";

    /// <exception cref="ImageRejectedException">Empty, too large, undecodable or truncated input.</exception>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, string fileName, int maxSide, long maxBytes)
    {
        if (encoded.IsEmpty) throw new ImageRejectedException($"'{fileName}' is empty");
        if (encoded.Length > maxBytes) throw TooManyBytes(fileName, maxBytes);

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageRejectedException($"'{fileName}' is not an image SkiaSharp can decode ({Formats})");

        // The header alone gives the size: refuse here, before a single pixel buffer exists.
        SKImageInfo header = codec.Info;
        if (header.Width <= 0 || header.Height <= 0 || header.Width > maxSide || header.Height > maxSide)
        {
            throw new ImageRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"'{fileName}' is {header.Width}×{header.Height} pixels; at most {maxSide} per side"));
        }

        var decoded = SkiaResampler.Allocate(header.Width, header.Height);
        try
        {
            SKCodecResult result = codec.GetPixels(decoded.Info, decoded.GetPixels());
            // A partial decode leaves the missing rows blank; classifying half a digit would give a
            // confident wrong answer, so truncated files are refused rather than guessed at.
            if (result == SKCodecResult.IncompleteInput)
                throw new ImageRejectedException($"'{fileName}' is truncated: only part of the image could be decoded");
            if (result != SKCodecResult.Success)
                throw new ImageRejectedException($"'{fileName}' could not be decoded ({result})");
            return Orient(decoded, codec.EncodedOrigin);
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    public static ImageRejectedException TooManyBytes(string fileName, long maxBytes) =>
        new(string.Create(CultureInfo.InvariantCulture, $"'{fileName}' is larger than {maxBytes:N0} bytes"));

    // Phone photos are often stored sideways with an EXIF orientation; the digit must be upright.
    private static SKBitmap Orient(SKBitmap decoded, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or (SKEncodedOrigin)0) return decoded;
        bool swap = EncodedOriginMatrix.SwapsSides(origin);
        int width = swap ? decoded.Height : decoded.Width;
        int height = swap ? decoded.Width : decoded.Height;
        var upright = SkiaResampler.Render(decoded, EncodedOriginMatrix.For(origin, decoded.Width, decoded.Height), width, height, exact: true);
        decoded.Dispose();
        return upright;
    }
}
