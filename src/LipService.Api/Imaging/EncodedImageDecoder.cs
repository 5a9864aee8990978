using System.Globalization;
using SkiaSharp;

namespace LipService.Api.Imaging;

/// <summary>
/// Checks an encoded image against <see cref="ImageUploadOptions"/> and decodes it to premultiplied
/// RGBA in its displayed orientation.
/// </summary>
internal static class EncodedImageDecoder
{
    private const string Formats = "PNG, JPEG, BMP, GIF, WebP, ICO";

    // A digit ends up 20×20 pixels. JPEG (by eighths, in the DCT) and WebP can shrink while decoding
    // for a fraction of the full cost, so larger images are decoded at about this long side: still
    // 50 times the final box, so a digit filling a fiftieth of a photo keeps its 20 pixels.
    private const int DecodeSide = 1024;

    /// <summary>Checks the header only, and tells what decoding will cost.</summary>
    /// <exception cref="ImageRejectedException">Empty, too large or not an image.</exception>
    public static EncodedImage ReadHeader(ReadOnlyMemory<byte> encoded, string fileName, int maxSide, long maxBytes)
    {
        using var data = SKData.CreateCopy(Check(encoded.Span, fileName, maxBytes));
        using var codec = Open(data, fileName, maxSide);
        SKSizeI size = DecodeSize(codec);
        return new EncodedImage(encoded, fileName, codec.Info.Width, codec.Info.Height, size.Width, size.Height);
    }

    /// <exception cref="ImageRejectedException">Empty, too large, undecodable or truncated input.</exception>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, string fileName, int maxSide, long maxBytes)
    {
        using var data = SKData.CreateCopy(Check(encoded, fileName, maxBytes));
        using var codec = Open(data, fileName, maxSide);
        SKSizeI size = DecodeSize(codec);
        var decoded = SkiaResampler.Allocate(size.Width, size.Height);
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

    private static ReadOnlySpan<byte> Check(ReadOnlySpan<byte> encoded, string fileName, long maxBytes)
    {
        if (encoded.IsEmpty) throw new ImageRejectedException($"'{fileName}' is empty");
        if (encoded.Length > maxBytes) throw TooManyBytes(fileName, maxBytes);
        return encoded;
    }

    private static SKCodec Open(SKData data, string fileName, int maxSide)
    {
        var codec = SKCodec.Create(data)
            ?? throw new ImageRejectedException($"'{fileName}' is not an image SkiaSharp can decode ({Formats})");

        // The header alone gives the size: refuse here, before a single pixel buffer exists.
        SKImageInfo header = codec.Info;
        if (header.Width <= 0 || header.Height <= 0 || header.Width > maxSide || header.Height > maxSide)
        {
            codec.Dispose();
            throw new ImageRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"'{fileName}' is {header.Width}×{header.Height} pixels; at most {maxSide} per side"));
        }
        return codec;
    }

    // Codecs that cannot shrink (PNG, BMP, GIF) answer their full size, and are decoded at it. JPEG
    // rounds the asked scale to the nearest eighth, possibly below DecodeSide, so the ask is raised
    // until the answer reaches it.
    private static SKSizeI DecodeSize(SKCodec codec)
    {
        SKSizeI full = codec.Info.Size;
        int longSide = Math.Max(full.Width, full.Height);
        for (float scale = (float)DecodeSide / longSide; scale < 1; scale *= 1.125f)
        {
            SKSizeI scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width < 1 || scaled.Height < 1 || scaled.Width > full.Width || scaled.Height > full.Height) break;
            if (Math.Max(scaled.Width, scaled.Height) >= DecodeSide) return scaled;
        }
        return full;
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
