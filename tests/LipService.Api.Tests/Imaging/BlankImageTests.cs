using LipService.Api.Imaging;
using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>Pictures without ink are valid and come out as an empty (all-zero) canvas.</summary>
public class BlankImageTests
{
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    [Theory]
    [InlineData(255, 255)] // white paper
    [InlineData(0, 255)] // black paper
    [InlineData(128, 255)] // grey paper
    [InlineData(0, 0)] // fully transparent
    public void AUniformPictureIsAllZeros(byte grey, byte alpha)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(300, 200, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(grey, grey, grey, alpha));
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Assert.All(Preprocessor.ToMnist(png.Span, "blank.png"), p => Assert.Equal(0f, p));
    }

    [Fact]
    public void PaperGrainBelowTheContrastFloorIsAllZeros()
    {
        // ±10 grey levels of noise on white: 20 levels of spread, under the 32-level floor.
        var random = new Random(7);
        using var bitmap = new SKBitmap(new SKImageInfo(120, 120, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(235 + random.Next(-10, 11));
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Assert.All(Preprocessor.ToMnist(png.Span, "grain.png"), p => Assert.Equal(0f, p));
    }
}
