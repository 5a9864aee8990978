using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>Draws MNIST digits into encoded images of various kinds.</summary>
internal static class DigitImages
{
    /// <summary>White ink on black, the MNIST look.</summary>
    public static SKColor WhiteOnBlack(byte ink) => new(ink, ink, ink);

    /// <summary>Black ink on white paper.</summary>
    public static SKColor BlackOnWhite(byte ink) => new((byte)(255 - ink), (byte)(255 - ink), (byte)(255 - ink));

    /// <summary>Paper and ink mixed as a pen would leave them: <paramref name="amount"/> 255 is pure ink.</summary>
    public static SKColor Blend(SKColor paper, SKColor ink, byte amount)
    {
        static byte Mix(byte p, byte i, byte t) => (byte)((p * (255 - t) + i * t + 127) / 255);
        return new SKColor(Mix(paper.Red, ink.Red, amount), Mix(paper.Green, ink.Green, amount), Mix(paper.Blue, ink.Blue, amount));
    }

    /// <summary>
    /// A <paramref name="width"/>×<paramref name="height"/> RGBA image filled with <paramref name="paper"/>,
    /// with each digit pixel drawn as a <paramref name="scale"/>-sided block at (<paramref name="left"/>, <paramref name="top"/>).
    /// </summary>
    public static SKBitmap Draw(byte[] digit, Func<byte, SKColor> colour, SKColor paper, int scale = 1,
        int width = 28, int height = 28, int left = 0, int top = 0)
    {
        const int n = MnistTestDigits.Side;
        using var small = new SKBitmap(new SKImageInfo(n, n, SKColorType.Rgba8888, SKAlphaType.Premul));
        Span<byte> rgba = small.GetPixelSpan();
        for (int i = 0; i < digit.Length; i++)
        {
            SKColor c = colour(digit[i]);
            rgba[4 * i] = Premultiply(c.Red, c.Alpha);
            rgba[4 * i + 1] = Premultiply(c.Green, c.Alpha);
            rgba[4 * i + 2] = Premultiply(c.Blue, c.Alpha);
            rgba[4 * i + 3] = c.Alpha;
        }

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(paper);
        using var canvas = new SKCanvas(bitmap);
        using var image = SKImage.FromBitmap(small);
        using var copy = new SKPaint { BlendMode = SKBlendMode.Src };
        canvas.DrawImage(image, SKRect.Create(left, top, n * scale, n * scale), new SKSamplingOptions(SKFilterMode.Nearest), copy);
        return bitmap;
    }

    private static byte Premultiply(byte channel, byte alpha) => (byte)((channel * alpha + 127) / 255);

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using (bitmap)
        {
            using SKData data = bitmap.Encode(format, quality);
            return data.ToArray();
        }
    }

    /// <summary>
    /// The MNIST digit as a PNG, each pixel drawn <paramref name="scale"/>×<paramref name="scale"/>:
    /// white on black with its pixels unchanged, or black ink on white paper when <paramref name="invert"/>.
    /// </summary>
    public static byte[] Png(byte[] digit, int scale = 1, bool invert = false)
    {
        int side = MnistTestDigits.Side * scale;
        var bitmap = invert
            ? Draw(digit, BlackOnWhite, SKColors.White, scale, side, side)
            : Draw(digit, WhiteOnBlack, SKColors.Black, scale, side, side);
        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>Inverted (black on white) and each pixel drawn 4×4: 112×112.</summary>
    public static byte[] InvertedPng112(byte[] digit) =>
        Encode(Draw(digit, BlackOnWhite, SKColors.White, scale: 4, width: 112, height: 112), SKEncodedImageFormat.Png);

    /// <summary>The 28×28 rows of a digit turned a quarter counter-clockwise, as a camera held sideways stores them.</summary>
    public static byte[] RotatedCounterClockwise(byte[] digit)
    {
        const int n = MnistTestDigits.Side;
        var stored = new byte[digit.Length];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++) stored[y * n + x] = digit[x * n + (n - 1 - y)];
        }
        return stored;
    }

    /// <summary>Adds an EXIF APP1 segment holding only an orientation tag right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, first IFD at offset 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, // Orientation, SHORT, 1 value
            0, 0, 0, 0, // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        int length = payload.Length + 2;
        return [jpeg[0], jpeg[1], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }
}
