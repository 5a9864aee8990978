using LipService.Api.Imaging;
using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>Paper colour, ink colour and transparency must not change what the model sees.</summary>
public class BackgroundTests
{
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    [Theory]
    [InlineData(1, 28)]
    [InlineData(4, 112)]
    [InlineData(10, 400)]
    public void LightAndDarkPaperGiveTheSameDigit(int scale, int side)
    {
        for (int i = 0; i < 10; i++)
        {
            byte[] digit = MnistTestDigits.Get(i);
            float[] dark = Preprocess(digit, DigitImages.WhiteOnBlack, SKColors.Black, scale, side);
            float[] light = Preprocess(digit, DigitImages.BlackOnWhite, SKColors.White, scale, side);
            // Exact inverses give the same ink plane. Only the 400 px image is shrunk by Skia, whose
            // rounding can differ by a grey level between an image and its inverse (measured: 0.008).
            double difference = DigitMetrics.MaxAbsoluteDifference(dark, light);
            Assert.True(difference < 0.02, $"digit {i}: max difference {difference:F4}");
        }
    }

    [Fact]
    public void DarkStrokesOnATransparentCanvasAreInkOnPaper()
    {
        // Drawing apps export strokes with alpha and no background: the canvas must count as paper,
        // for black strokes (matte white) as for white ones (matte black).
        for (int i = 0; i < 10; i++)
        {
            byte[] digit = MnistTestDigits.Get(i);
            float[] opaque = Preprocess(digit, DigitImages.WhiteOnBlack, SKColors.Black, 4, 112);
            float[] blackStrokes = Preprocess(digit, v => new SKColor(0, 0, 0, v), SKColors.Transparent, 4, 112);
            float[] whiteStrokes = Preprocess(digit, v => new SKColor(255, 255, 255, v), SKColors.Transparent, 4, 112);
            Assert.True(DigitMetrics.MaxAbsoluteDifference(opaque, blackStrokes) < 1e-6, $"digit {i}, black strokes");
            Assert.True(DigitMetrics.MaxAbsoluteDifference(opaque, whiteStrokes) < 1e-6, $"digit {i}, white strokes");
        }
    }

    [Fact]
    public void GreyInkOnGreyPaperIsStretchedToFullContrast()
    {
        // Pencil on grey paper: paper (190) goes to 0 and the darkest stroke (70) to 1.
        var paper = new SKColor(190, 190, 190);
        var pencil = new SKColor(70, 70, 70);
        for (int i = 0; i < 10; i++)
        {
            byte[] digit = MnistTestDigits.Get(i);
            float[] dark = Preprocess(digit, DigitImages.WhiteOnBlack, SKColors.Black, 4, 112);
            float[] grey = Preprocess(digit, v => DigitImages.Blend(paper, pencil, v), paper, 4, 112);
            // The stretch maps the darkest grey level to exactly 255/255; one float32 ulp of slack.
            Tolerance.Absolute(1, grey.Max(), Tolerance.Float32Epsilon);
            // Only 120 grey levels carry the digit instead of 255, so each pixel may round differently.
            Assert.True(DigitMetrics.MaxAbsoluteDifference(dark, grey) < 0.02, $"digit {i}");
        }
    }

    private static float[] Preprocess(byte[] digit, Func<byte, SKColor> colour, SKColor paper, int scale, int side) =>
        Preprocessor.ToMnist(
            DigitImages.Encode(DigitImages.Draw(digit, colour, paper, scale, side, side, (side - 28 * scale) / 2, (side - 28 * scale) / 2), SKEncodedImageFormat.Png),
            "digit.png");
}
