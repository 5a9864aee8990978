using LipService.Api.Imaging;
using SkiaSharp;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Imaging;

/// <summary>
/// What an upload will cost to decode is known from its header alone, and large JPEGs are decoded
/// shrunk by the codec without changing the digit that comes out.
/// </summary>
public class DecodeSizeTests(ITestOutputHelper output)
{
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    [Fact]
    public async Task AHeaderIsWeighedWithoutDecodingAnyPixel()
    {
        // No pixel data follows the header: decoding it would be refused as truncated.
        byte[] png = PngChunks.HeaderOnly(4096, 4096);
        var image = await Preprocessor.ReadAsync(new MemoryStream(png), "declared.png");
        Assert.Equal((4096, 4096), (image.Width, image.Height));
        // PNG cannot shrink while decoding, so it is charged at full size.
        Assert.Equal(4096L * 4096, image.DecodedPixels);
        Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(image));
    }

    [Fact]
    public async Task ReadingAppliesThePerImageLimits()
    {
        var error = await Assert.ThrowsAsync<ImageRejectedException>(() => Preprocessor.ReadAsync(new MemoryStream(PngChunks.HeaderOnly(5000, 10)), "wide.png"));
        Assert.Contains("'wide.png' is 5000×10 pixels", error.Message);
        await Assert.ThrowsAsync<ImageRejectedException>(() => Preprocessor.ReadAsync(new MemoryStream([]), "empty.png"));
    }

    [Fact]
    public async Task ALargeJpegIsDecodedShrunkToTheSameDigit()
    {
        // A 4000×3000 photo with the digit drawn 60 px a pixel (1680 px tall) left of centre.
        byte[] digit = MnistTestDigits.Get(0);
        using var drawn = DigitImages.Draw(digit, DigitImages.BlackOnWhite, SKColors.White, 60, 4000, 3000, 900, 600);
        byte[] jpeg = DigitImages.Encode(drawn.Copy(), SKEncodedImageFormat.Jpeg, 90);
        byte[] png = DigitImages.Encode(drawn.Copy(), SKEncodedImageFormat.Png);

        var header = await Preprocessor.ReadAsync(new MemoryStream(jpeg), "photo.jpg");
        output.WriteLine($"decoded at {header.DecodeWidth}×{header.DecodeHeight}");
        Assert.Equal((4000, 3000), (header.Width, header.Height));
        Assert.InRange(Math.Max(header.DecodeWidth, header.DecodeHeight), 1024, 2000);
        Assert.Equal(4000L * 3000, (await Preprocessor.ReadAsync(new MemoryStream(png), "photo.png")).DecodedPixels);

        float[] shrunk = Preprocessor.ToMnist(header);
        float[] lossless = Preprocessor.ToMnist(png, "photo.png");
        double shrunkCorrelation = DigitMetrics.ShiftTolerantCorrelation(shrunk, digit);
        double losslessCorrelation = DigitMetrics.ShiftTolerantCorrelation(lossless, digit);
        double difference = DigitMetrics.MeanAbsoluteDifference(shrunk, lossless);
        output.WriteLine($"correlation {shrunkCorrelation:F4} shrunk, {losslessCorrelation:F4} lossless; mean absolute difference {difference:F4}");
        // Measured: 0.9901 shrunk (decoded at 1500×1125), 0.9916 from the lossless 4000×3000; difference 0.049.
        Assert.True(shrunkCorrelation > 0.95, $"correlation {shrunkCorrelation:F4}");
        Assert.True(difference < 0.1, $"mean absolute difference {difference:F4}");
    }
}
