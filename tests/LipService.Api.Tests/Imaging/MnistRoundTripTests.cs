using LipService.Api.Imaging;
using SkiaSharp;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Imaging;

/// <summary>
/// Real MNIST digits, encoded in several ways, must come back out of the preprocessor as themselves.
/// Limits sit well under the measured worst case of the 50 digits and well above what a wrong step
/// gives: a wrong inversion, a misplaced or mis-scaled digit correlate below 0.6 with the original.
/// </summary>
public class MnistRoundTripTests(ITestOutputHelper output)
{
    private const int Digits = 50;
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    [Fact]
    public void A28PixelPngComesBackAlmostUnchanged()
    {
        // Already 20 px tall and centred by mass, a lossless MNIST digit is cropped, scaled by 1 and
        // shifted by whole pixels back to where it was. What differs is the stretch of digits that
        // peak at 254 and the rare faint edge pixel below the 10% ink threshold.
        // Measured: worst 0.0013. A one-pixel shift alone costs more than 0.05.
        double[] errors = Measure(digit => DigitImages.Png(digit), DigitMetrics.MeanAbsoluteDifference);
        Assert.All(errors, e => Assert.True(e < 0.02, $"mean absolute difference {e:F4}"));
    }

    [Fact]
    public void AnInvertedPngAtFourTimesTheSizeMatchesTheDigit()
    {
        // Black on white, 112×112: inverted, then an ~80 px crop shrunk ×¼ through Skia's mipmaps,
        // which average each 4×4 block back to the original pixel. Measured: worst 0.9991.
        double[] correlations = Measure(DigitImages.InvertedPng112, DigitMetrics.Correlation);
        Assert.All(correlations, c => Assert.True(c > 0.95, $"correlation {c:F4}"));
    }

    [Fact]
    public void A28PixelJpegMatchesTheDigit()
    {
        // JPEG ringing stays under the ink threshold, so the crop is the original's. Measured: worst 0.9990.
        double[] correlations = Measure(
            d => DigitImages.Encode(DigitImages.Draw(d, DigitImages.WhiteOnBlack, SKColors.Black), SKEncodedImageFormat.Jpeg, 90),
            DigitMetrics.Correlation);
        Assert.All(correlations, c => Assert.True(c > 0.95, $"correlation {c:F4}"));
    }

    [Fact]
    public void AnInvertedJpegAtFourTimesTheSizeMatchesTheDigit()
    {
        // JPEG noise can move a crop edge by a few of the 112 px, so the ×¼ resampling lands half a
        // pixel off the original grid and smears strokes over two columns. Measured: worst 0.908.
        double[] correlations = Measure(
            d => DigitImages.Encode(DigitImages.Draw(d, DigitImages.BlackOnWhite, SKColors.White, 4, 112, 112), SKEncodedImageFormat.Jpeg, 85),
            DigitMetrics.ShiftTolerantCorrelation);
        Assert.All(correlations, c => Assert.True(c > 0.85, $"correlation {c:F4}"));
    }

    [Fact]
    public void ADigitOffCentreInALargePhotoMatchesTheDigit()
    {
        // 900×600, above the 256 px work size: the ink is found on a reduced copy (3.5 px per work
        // pixel) and resampled from the full image. Off to the right, on slightly grey paper.
        // Measured: worst 0.9645.
        var paper = new SKColor(235, 235, 230);
        double[] correlations = Measure(
            d => DigitImages.Encode(DigitImages.Draw(d, v => DigitImages.Blend(paper, SKColors.Black, v), paper, 12, 900, 600, 500, 150), SKEncodedImageFormat.Jpeg, 90),
            DigitMetrics.ShiftTolerantCorrelation);
        Assert.All(correlations, c => Assert.True(c > 0.9, $"correlation {c:F4}"));
    }

    [Fact]
    public void ATightlyCroppedDigitMatchesTheDigit()
    {
        // Cropped to its ink, the strokes touch the edges: the border median must still find the paper.
        // Measured: worst 0.9868.
        double[] correlations = Measure(TightlyCropped, DigitMetrics.ShiftTolerantCorrelation);
        Assert.All(correlations, c => Assert.True(c > 0.9, $"correlation {c:F4}"));
    }

    [Fact]
    public void BlueInkOnYellowPaperMatchesTheDigit()
    {
        // Colour goes through BT.601 luma: blue ink is dark, yellow paper light. Measured: worst 0.9991.
        var paper = new SKColor(250, 240, 120);
        var ink = new SKColor(20, 40, 160);
        double[] correlations = Measure(
            d => DigitImages.Encode(DigitImages.Draw(d, v => DigitImages.Blend(paper, ink, v), paper, 2, 56, 56), SKEncodedImageFormat.Png),
            DigitMetrics.Correlation);
        Assert.All(correlations, c => Assert.True(c > 0.95, $"correlation {c:F4}"));
    }

    private static byte[] TightlyCropped(byte[] digit)
    {
        var pixels = digit.Select(b => b / 255f).ToArray();
        (int left, int top, int width, int height) = DigitMetrics.InkBox(pixels);
        const int scale = 3;
        return DigitImages.Encode(
            DigitImages.Draw(digit, DigitImages.BlackOnWhite, SKColors.White, scale, width * scale, height * scale, -left * scale, -top * scale),
            SKEncodedImageFormat.Png);
    }

    private double[] Measure(Func<byte[], byte[]> encode, Func<float[], byte[], double> metric)
    {
        double[] values = MnistTestDigits.First(Digits)
            .Select(d => metric(Preprocessor.ToMnist(encode(d.Pixels), $"mnist-{d.Index}.img"), d.Pixels))
            .ToArray();
        output.WriteLine($"min {values.Min():F4}  mean {values.Average():F4}  max {values.Max():F4}");
        return values;
    }
}
