using System.Diagnostics;
using System.Text;
using LipService.Api.Imaging;
using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>Uploads that are not a usable image fail with a message naming the file.</summary>
public class RejectionTests
{
    private static readonly MnistDigitPreprocessor Preprocessor = new();

    [Fact]
    public void EmptyInputIsRejected()
    {
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist([], "empty.png"));
        Assert.Equal("'empty.png' is empty", error.Message);
    }

    [Fact]
    public void RandomBytesAreRejected()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(bytes, "noise.bin"));
        Assert.Equal("'noise.bin' is not an image SkiaSharp can decode (PNG, JPEG, BMP, GIF, WebP, ICO)", error.Message);
    }

    [Fact]
    public void ATextFileIsRejected()
    {
        byte[] text = Encoding.UTF8.GetBytes("This is not a picture of a digit.\nIt is a text file.\n");
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(text, "notes.txt"));
        Assert.StartsWith("'notes.txt' is not an image", error.Message);
    }

    [Fact]
    public void ATruncatedPngIsRejected()
    {
        // 100 bytes hold a valid header, so SkiaSharp opens the file and then reports IncompleteInput.
        // A partial decode would classify a blanked-out half digit; it is refused instead.
        byte[] png = DigitImages.InvertedPng112(MnistTestDigits.Get(0));
        Assert.True(png.Length > 200);
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(png.AsSpan(0, 100), "cut.png"));
        Assert.Equal("'cut.png' is truncated: only part of the image could be decoded", error.Message);
    }

    [Fact]
    public void ATruncatedJpegIsRejected()
    {
        byte[] jpeg = DigitImages.Encode(DigitImages.Draw(MnistTestDigits.Get(0), DigitImages.BlackOnWhite, SKColors.White, 4, 112, 112), SKEncodedImageFormat.Jpeg, 90);
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(jpeg.AsSpan(0, jpeg.Length / 2), "cut.jpg"));
        Assert.StartsWith("'cut.jpg' is truncated", error.Message);
    }

    [Fact]
    public void A60000PixelSquareHeaderIsRejectedBeforeDecoding()
    {
        // The header claims 60000×60000 (14.4 GB as RGBA) over an empty IDAT. This message is written
        // only by the header check, which runs before any pixel buffer exists; a decode attempt would
        // instead fail to allocate or report missing data. (The working set would be a weak witness:
        // allocated pages are not resident until written, and tests running alongside move it.)
        byte[] png = PngChunks.HeaderOnly(60000, 60000);
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(png, "big.png"));
        clock.Stop();
        Assert.Equal("'big.png' is 60000×60000 pixels; at most 4096 per side", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A4096PixelSquareIsAccepted()
    {
        byte[] digit = MnistTestDigits.Get(0);
        byte[] png = DigitImages.Encode(DigitImages.Draw(digit, DigitImages.BlackOnWhite, SKColors.White, 100, 4096, 4096, 700, 500), SKEncodedImageFormat.Png);
        float[] pixels = Preprocessor.ToMnist(png, "limit.png");
        Assert.True(DigitMetrics.ShiftTolerantCorrelation(pixels, digit) > 0.9);
    }

    [Fact]
    public void A5000By10PngIsRejected()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(5000, 10, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(png.Span, "strip.png"));
        Assert.Equal("'strip.png' is 5000×10 pixels; at most 4096 per side", error.Message);
    }

    [Fact]
    public void AZeroWidthHeaderIsRejected()
    {
        var error = Assert.Throws<ImageRejectedException>(() => Preprocessor.ToMnist(PngChunks.HeaderOnly(0, 10), "flat.png"));
        Assert.StartsWith("'flat.png' ", error.Message);
    }

    [Fact]
    public void MaxSideIsInclusive()
    {
        byte[] png = DigitImages.InvertedPng112(MnistTestDigits.Get(0));
        Assert.Equal(784, new MnistDigitPreprocessor(new ImageUploadOptions { MaxSide = 112 }).ToMnist(png, "ok.png").Length);
        var error = Assert.Throws<ImageRejectedException>(() => new MnistDigitPreprocessor(new ImageUploadOptions { MaxSide = 111 }).ToMnist(png, "big.png"));
        Assert.Equal("'big.png' is 112×112 pixels; at most 111 per side", error.Message);
    }

    [Fact]
    public void MoreThanMaxBytesIsRejected()
    {
        byte[] png = DigitImages.InvertedPng112(MnistTestDigits.Get(0));
        var limited = new MnistDigitPreprocessor(new ImageUploadOptions { MaxBytes = png.Length - 1 });
        var error = Assert.Throws<ImageRejectedException>(() => limited.ToMnist(png, "heavy.png"));
        Assert.Equal($"'heavy.png' is larger than {png.Length - 1:N0} bytes", error.Message);
        Assert.Equal(784, new MnistDigitPreprocessor(new ImageUploadOptions { MaxBytes = png.Length }).ToMnist(png, "ok.png").Length);
    }

    [Fact]
    public async Task AStreamIsReadUpToMaxBytes()
    {
        byte[] png = DigitImages.InvertedPng112(MnistTestDigits.Get(0));
        var limited = new MnistDigitPreprocessor(new ImageUploadOptions { MaxBytes = png.Length - 1 });
        await Assert.ThrowsAsync<ImageRejectedException>(() => limited.ToMnistAsync(new MemoryStream(png), "heavy.png"));
        await Assert.ThrowsAsync<ImageRejectedException>(() => limited.ToMnistAsync(new UnseekableStream(png), "heavy.png"));

        float[] fromStream = await Preprocessor.ToMnistAsync(new UnseekableStream(png), "ok.png");
        Assert.Equal(Preprocessor.ToMnist(png, "ok.png"), fromStream);
    }

    [Fact]
    public void InvalidOptionsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MnistDigitPreprocessor(new ImageUploadOptions { MaxSide = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MnistDigitPreprocessor(new ImageUploadOptions { MaxBytes = 0 }));
    }
}
