using System.Buffers.Binary;
using LipService.Api.Imaging;
using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>Every format SkiaSharp decodes gives the same digit.</summary>
public class FormatTests
{
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    [Fact]
    public void BmpGifAndIcoGiveTheSameDigitAsPng()
    {
        for (int i = 0; i < 10; i++)
        {
            byte[] digit = MnistTestDigits.Get(i);
            float[] png = Preprocessor.ToMnist(DigitImages.Png(digit), "digit.png");

            using SKBitmap bitmap = DigitImages.Draw(digit, DigitImages.BlackOnWhite, SKColors.White);
            float[] bmp = Preprocessor.ToMnist(BmpWriter.Write(bitmap), "digit.bmp");
            float[] gif = Preprocessor.ToMnist(GifWriter.Write(digit, 28, 28), "digit.gif");
            float[] ico = Preprocessor.ToMnist(IcoHolding(DigitImages.Png(digit)), "digit.ico");

            // All three are lossless, so the ink planes are equal and so are the results.
            Assert.True(DigitMetrics.MaxAbsoluteDifference(png, bmp) < 1e-6, $"digit {i}: BMP");
            Assert.True(DigitMetrics.MaxAbsoluteDifference(png, gif) < 1e-6, $"digit {i}: GIF");
            Assert.True(DigitMetrics.MaxAbsoluteDifference(png, ico) < 1e-6, $"digit {i}: ICO");
        }
    }

    [Fact]
    public void WebpGivesTheDigit()
    {
        byte[] digit = MnistTestDigits.Get(0);
        byte[] webp = DigitImages.Encode(DigitImages.Draw(digit, DigitImages.BlackOnWhite, SKColors.White, 4, 112, 112), SKEncodedImageFormat.Webp, 90);
        Assert.True(DigitMetrics.ShiftTolerantCorrelation(Preprocessor.ToMnist(webp, "digit.webp"), digit) > 0.9);
    }

    [Fact]
    public void ExifOrientationIsApplied()
    {
        // A camera held sideways stores the digit turned a quarter counter-clockwise and tags it
        // "rotate 90° clockwise to display" (orientation 6). The model must see it upright.
        byte[] digit = MnistTestDigits.Get(0);
        byte[] sideways = DigitImages.Encode(DigitImages.Draw(DigitImages.RotatedCounterClockwise(digit), DigitImages.BlackOnWhite, SKColors.White, 4, 112, 112), SKEncodedImageFormat.Jpeg, 95);

        double untagged = DigitMetrics.ShiftTolerantCorrelation(Preprocessor.ToMnist(sideways, "raw.jpg"), digit);
        double tagged = DigitMetrics.ShiftTolerantCorrelation(Preprocessor.ToMnist(DigitImages.WithExifOrientation(sideways, 6), "photo.jpg"), digit);

        Assert.True(untagged < 0.6, $"untagged {untagged:F3}: the test digit must look different sideways");
        Assert.True(tagged > 0.95, $"tagged {tagged:F3}");
    }

    /// <summary>An ICO file whose one 28×28 image is stored as PNG, as Vista-style icons are.</summary>
    private static byte[] IcoHolding(byte[] png)
    {
        var ico = new byte[6 + 16 + png.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(ico.AsSpan(2), 1); // type: icon
        BinaryPrimitives.WriteUInt16LittleEndian(ico.AsSpan(4), 1); // one image
        ico[6] = 28; // width
        ico[7] = 28; // height
        BinaryPrimitives.WriteUInt16LittleEndian(ico.AsSpan(10), 1); // colour planes
        BinaryPrimitives.WriteUInt16LittleEndian(ico.AsSpan(12), 32); // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(ico.AsSpan(14), png.Length);
        BinaryPrimitives.WriteInt32LittleEndian(ico.AsSpan(18), 22); // offset of the image data
        png.CopyTo(ico, 22);
        return ico;
    }
}
