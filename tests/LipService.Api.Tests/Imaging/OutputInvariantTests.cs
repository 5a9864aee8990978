using LipService.Api.Imaging;
using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>What every preprocessed digit must look like, whatever the upload was.</summary>
public class OutputInvariantTests
{
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    public static TheoryData<string> Uploads() => [.. Cases.Keys];

    private static readonly Dictionary<string, Func<byte[]>> Cases = new()
    {
        ["mnist-png"] = () => DigitImages.Png(MnistTestDigits.Get(0)),
        ["inverted-png-112"] = () => DigitImages.InvertedPng112(MnistTestDigits.Get(1)),
        ["jpeg-photo"] = () => DigitImages.Encode(
            DigitImages.Draw(MnistTestDigits.Get(2), DigitImages.BlackOnWhite, SKColors.White, 20, 1200, 800, 100, 200), SKEncodedImageFormat.Jpeg, 80),
        ["tiny-digit-upscaled"] = () => DigitImages.Encode(
            DigitImages.Draw(Shrunk(MnistTestDigits.Get(3)), DigitImages.WhiteOnBlack, SKColors.Black, 1, 40, 30, 3, 2), SKEncodedImageFormat.Png),
        ["wide-bar"] = () => Shape(300, 300, 0, (canvas, ink) => canvas.DrawRect(20, 140, 260, 30, ink)),
        ["tall-bar"] = () => Shape(300, 300, 0, (canvas, ink) => canvas.DrawRect(140, 20, 12, 260, ink)),
        ["corner-blob"] = () => Shape(500, 400, 0, (canvas, ink) => canvas.DrawCircle(480, 15, 40, ink)),
        ["thin-diagonal"] = () => Shape(64, 64, 1.5f, (canvas, ink) => canvas.DrawLine(2, 60, 60, 2, ink)),
    };

    [Theory]
    [MemberData(nameof(Uploads))]
    public void Has784ValuesInTheUnitInterval(string upload)
    {
        float[] pixels = Preprocessor.ToMnist(Cases[upload](), upload);
        Assert.Equal(784, pixels.Length);
        Assert.All(pixels, p => Assert.InRange(p, 0f, 1f));
        // The darkest stroke is stretched to 1, as MNIST's digits peak at 254 or 255.
        // One float32 ulp of slack for the division that scales the stretched stroke.
        Tolerance.Absolute(1, pixels.Max(), Tolerance.Float32Epsilon);
    }

    [Theory]
    [MemberData(nameof(Uploads))]
    public void CentresTheMassOnPixel14(string upload)
    {
        // Convention: pixel indices, centres at whole numbers; MNIST's digits average (14.01, 13.99).
        // Whole-pixel shifts leave at most half a pixel off.
        (double x, double y) = DigitMetrics.CentreOfMass(Preprocessor.ToMnist(Cases[upload](), upload));
        Assert.InRange(x, 13.5 - 1e-6, 14.5 + 1e-6);
        Assert.InRange(y, 13.5 - 1e-6, 14.5 + 1e-6);
    }

    [Theory]
    [MemberData(nameof(Uploads))]
    public void FitsTheInkInTwentyPixels(string upload)
    {
        (int width, int height) = DigitMetrics.InkExtent(Preprocessor.ToMnist(Cases[upload](), upload));
        Assert.InRange(Math.Max(width, height), 17, 20);
        Assert.InRange(Math.Min(width, height), 1, 20);
    }

    [Fact]
    public void KeepsTheAspectRatio()
    {
        // The bars are 260×30 and 12×260 (ratios 8.7 and 21.7): after fitting 20 px, about 2 and 1 px.
        (int width, int height) = DigitMetrics.InkExtent(Preprocessor.ToMnist(Cases["wide-bar"](), "wide"));
        Assert.Equal(20, width);
        Assert.InRange(height, 2, 4);
        (width, height) = DigitMetrics.InkExtent(Preprocessor.ToMnist(Cases["tall-bar"](), "tall"));
        Assert.Equal(20, height);
        Assert.InRange(width, 1, 3);
    }

    [Fact]
    public void AThinStrokeInALargeImageIsAveragedNotSkipped()
    {
        // A 3 px pen line 1600 px wide shrinks 80×. Point sampling would hit it in a few rows and
        // miss it in the rest; mipmapped sampling averages it into a faint, unbroken line that the
        // contrast stretch brings back up.
        byte[] png = Shape(2000, 2000, 3, (canvas, ink) => canvas.DrawLine(230, 1790, 1830, 370, ink));
        float[] pixels = Preprocessor.ToMnist(png, "pen.png");
        (int left, int top, int width, int height) = DigitMetrics.InkBox(pixels);
        Assert.Equal(20, width); // 1600 wide, 1420 high: 20 × 18
        Assert.InRange(height, 17, 19);
        for (int y = top; y < top + height; y++)
        {
            float rowPeak = pixels.AsSpan(y * 28 + left, width).ToArray().Max();
            Assert.True(rowPeak > 0.3f, $"row {y} peaks at {rowPeak:F2}");
        }
    }

    [Fact]
    public void IsTheSameFromManyThreadsAtOnce()
    {
        byte[][] uploads = [.. Enumerable.Range(0, 40).Select(i => DigitImages.InvertedPng112(MnistTestDigits.Get(i)))];
        float[][] sequential = [.. uploads.Select(u => Preprocessor.ToMnist(u, "seq"))];
        var parallel = new float[uploads.Length][];
        Parallel.For(0, uploads.Length * 5, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i % uploads.Length] = Preprocessor.ToMnist(uploads[i % uploads.Length], "par"));
        for (int i = 0; i < uploads.Length; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    // Every second row and column: a 14×14 digit, so the preprocessor must scale up.
    private static byte[] Shrunk(byte[] digit)
    {
        var small = new byte[digit.Length];
        for (int y = 0; y < 14; y++)
        {
            for (int x = 0; x < 14; x++) small[(y + 7) * 28 + x + 7] = digit[2 * y * 28 + 2 * x];
        }
        return small;
    }

    /// <summary>A white PNG with black anti-aliased shapes, filled when <paramref name="strokeWidth"/> is 0.</summary>
    private static byte[] Shape(int width, int height, float strokeWidth, Action<SKCanvas, SKPaint> draw)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = strokeWidth > 0 ? SKPaintStyle.Stroke : SKPaintStyle.Fill, StrokeWidth = strokeWidth })
        {
            canvas.Clear(SKColors.White);
            draw(canvas, ink);
        }
        return DigitImages.Encode(bitmap, SKEncodedImageFormat.Png);
    }
}
