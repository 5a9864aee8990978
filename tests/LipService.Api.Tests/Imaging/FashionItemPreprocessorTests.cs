using LipService.Api.Imaging;
using LipService.Training.Data;
using SkiaSharp;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Imaging;

/// <summary>
/// Real Fashion-MNIST items, drawn as uploads would show them, must come back out of the
/// preprocessor as themselves; shapes of known geometry pin the fitting rule (longest side 28,
/// aspect kept, centred by bounding box, no centre-of-mass shift).
/// </summary>
/// <remarks>
/// What a wrong step costs on these 50 items, measured as mean absolute difference (MAD, in [0, 1]
/// units) averaged over the items: every item one pixel off 0.084, MNIST's digit preprocessing (20 px
/// box, centre of mass) 0.18, a missed inversion more than 0.5. The limits below sit between the
/// measured results and those.
/// </remarks>
public class FashionItemPreprocessorTests(ITestOutputHelper output)
{
    private const int Items = 50;
    private static readonly FashionItemPreprocessor Preprocessor = new();

    // Through the product's reader: magic numbers and sizes are checked in one place.
    private static readonly Lazy<IdxImages> TestImages = new(() =>
        IdxReader.ReadImages(FashionMnistPackage.File(IdxDatasetFiles.FashionMnist.TestImages.FileName)));

    [Fact]
    public void A28PixelPngComesBackUnchangedUnlessItsBoxChanges()
    {
        // Already light on black and 28 px long, most items are cropped, scaled by 1 and put back
        // where they were. Three of these 50 are enlarged by 28/27 instead: item 17 is 27 px tall
        // (98% of the test set fills 28 px), items 30 and 49 have an edge row fainter than the 5%
        // item threshold. Measured: 47 items at most 0.0020, worst 0.149, mean 0.0065.
        double[] errors = Measure(item => DigitImages.Png(item), DigitMetrics.MeanAbsoluteDifference);
        Assert.True(errors.Count(e => e < 0.005) >= 45, $"{errors.Count(e => e < 0.005)} of {Items} items within 0.005");
        Assert.True(errors.Average() < 0.02, $"mean {errors.Average():F4}");
        Assert.All(errors, e => Assert.True(e < 0.2, $"mean absolute difference {e:F4}"));
    }

    [Fact]
    public void AnInvertedPngAtThreeTimesTheSizeComesBackAsTheItem()
    {
        // Dark on white, 84×84: inverted, then shrunk ×⅓. A third is not a mipmap level, so Skia's
        // trilinear filter mixes each 3×3 block with its neighbours: a slight blur on every item.
        // Measured: mean 0.0315, worst 0.148 (item 17 again).
        double[] errors = Measure(item => DigitImages.Png(item, scale: 3, invert: true), DigitMetrics.MeanAbsoluteDifference);
        Assert.True(errors.Average() < 0.05, $"mean {errors.Average():F4}");
        Assert.All(errors, e => Assert.True(e < 0.2, $"mean absolute difference {e:F4}"));
    }

    [Fact]
    public void ALightBackgroundIsInverted()
    {
        for (int i = 0; i < 10; i++)
        {
            byte[] item = Item(i);
            float[] dark = Preprocessor.ToFashionMnist(DigitImages.Png(item, scale: 3), "dark.png");
            float[] light = Preprocessor.ToFashionMnist(DigitImages.Png(item, scale: 3, invert: true), "light.png");
            // Exact inverses differ only by Skia's rounding of interpolated colours (measured: at most
            // 0.0048); a missed inversion would differ by nearly 1 on the background.
            double difference = DigitMetrics.MaxAbsoluteDifference(dark, light);
            Assert.True(difference < 0.01, $"item {i}: max difference {difference:F4}");
            Assert.Equal(0f, light[0]);
        }
    }

    [Fact]
    public void AWideItemKeepsItsAspectAndFillsTheWidth()
    {
        // 180×60 on a 240×160 white picture: 28 wide, 60·28/180 = 9.3 → 9 rows, margins 10 above
        // and 9 below (the odd pixel goes first, as in Fashion-MNIST).
        float[] result = Preprocess(240, 160, (canvas, paint) => canvas.DrawRect(30, 50, 180, 60, paint));

        Assert.Equal((0, 10, 28, 9), DigitMetrics.InkBox(result));
        Assert.Equal(1f, result.Max());
    }

    [Fact]
    public void AnItemIsCentredByItsBoxNotItsMass()
    {
        // A right triangle 60 wide and 180 tall, its mass two thirds of the way to the right: 28 tall,
        // 9 wide, margins 10 and 9 like the box's. Centring by mass would move it 1.5 px left.
        float[] result = Preprocess(200, 240, (canvas, paint) =>
        {
            using var path = new SKPath();
            path.MoveTo(40, 210);
            path.LineTo(100, 210);
            path.LineTo(100, 30);
            path.Close();
            canvas.DrawPath(path, paint);
        });

        Assert.Equal((10, 0, 9, 28), DigitMetrics.InkBox(result));
        Assert.True(DigitMetrics.CentreOfMass(result).X > 15, $"centre of mass x {DigitMetrics.CentreOfMass(result).X:F2}");
    }

    [Fact]
    public void APictureWithoutAnItemIsAllZeros()
    {
        float[] result = Preprocess(120, 80, (_, _) => { });

        Assert.All(result, p => Assert.Equal(0f, p));
    }

    private static byte[] Item(int index) => TestImages.Value.Image(index).ToArray();

    /// <summary>A white picture with black shapes drawn by <paramref name="draw"/>, as PNG, preprocessed.</summary>
    private static float[] Preprocess(int width, int height, Action<SKCanvas, SKPaint> draw)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            draw(canvas, paint);
        }

        return Preprocessor.ToFashionMnist(DigitImages.Encode(bitmap.Copy(), SKEncodedImageFormat.Png), "shape.png");
    }

    private double[] Measure(Func<byte[], byte[]> encode, Func<float[], byte[], double> metric)
    {
        double[] values = Enumerable.Range(0, Items)
            .Select(i => metric(Preprocessor.ToFashionMnist(encode(Item(i)), $"fashion-{i}.png"), Item(i)))
            .ToArray();
        output.WriteLine($"min {values.Min():F4}  mean {values.Average():F4}  max {values.Max():F4}");
        return values;
    }
}
