using SkiaSharp;

namespace LipService.Api.Imaging;

/// <summary>
/// A decoded upload and where its foreground (ink, item) is: the box holding every pixel that stands
/// out from the background by more than a given fraction of the picture's contrast. Owns the decoded
/// image, from which the box is resampled at full resolution.
/// </summary>
internal sealed class ForegroundScan(SKBitmap image, InkTone tone, byte background, double left, double top, double width, double height)
    : IDisposable
{
    // Larger images are shrunk by Skia before any managed per-pixel loop, capping those loops at
    // 65,536 pixels; the box is still resampled from the decode, at full resolution or (JPEG, WebP
    // over 1024 px) shrunk by the codec to about 1024 px a side, so a small digit or item in a large
    // photo keeps its detail.
    private const int WorkSide = 256;

    // Below this difference between background and the most distinct pixel (of 255) the picture is
    // taken as blank: paper grain, sensor and JPEG noise on empty backgrounds stay under it, pencil
    // strokes are well above.
    private const int MinContrast = 32;

    /// <summary>The background's ink value (0–255), the median of the border.</summary>
    public byte Background => background;

    /// <summary>The foreground's box, in decoded-image pixels (fractional where it was found on a reduced copy).</summary>
    public double Left => left;

    /// <inheritdoc cref="Left"/>
    public double Top => top;

    /// <inheritdoc cref="Left"/>
    public double Width => width;

    /// <inheritdoc cref="Left"/>
    public double Height => height;

    /// <summary>
    /// Decodes an upload and finds its foreground: pixels more than <paramref name="fraction"/> of the
    /// way from the background to the most distinct pixel. Null when there is none (blank, uniform,
    /// fully transparent). <see cref="InkTone"/> decides which way round ink and background are.
    /// </summary>
    /// <exception cref="ImageRejectedException">Empty, too many bytes, too many pixels per side, undecodable or truncated.</exception>
    public static ForegroundScan? Find(ReadOnlySpan<byte> encoded, string fileName, UploadLimits limits, double fraction)
    {
        SKBitmap image = EncodedImageDecoder.Decode(encoded, fileName, limits.MaxSide, limits.MaxBytes);
        try
        {
            ForegroundScan? scan = Find(image, fraction);
            if (scan is null) image.Dispose();
            return scan;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static ForegroundScan? Find(SKBitmap image, double fraction)
    {
        using SKBitmap? reduced = Math.Max(image.Width, image.Height) > WorkSide ? SkiaResampler.FitWithin(image, WorkSide) : null;
        SKBitmap work = reduced ?? image;

        var plane = new byte[work.Width * work.Height];
        if (InkTone.Measure(work.GetPixelSpan(), work.Width, work.Height, plane) is not { } tone) return null;

        byte background = PlaneStatistics.BorderMedian(plane, work.Width, work.Height);
        byte peak = PlaneStatistics.Max(plane);
        if (peak - background < MinContrast) return null;
        byte threshold = (byte)(background + (int)(fraction * (peak - background)));
        if (InkBounds.Find(plane, work.Width, threshold) is not { } bounds) return null;

        double toImageX = (double)image.Width / work.Width, toImageY = (double)image.Height / work.Height;
        return new ForegroundScan(image, tone, background,
            bounds.X * toImageX, bounds.Y * toImageY, bounds.Width * toImageX, bounds.Height * toImageY);
    }

    /// <summary>
    /// Resamples the box from the decoded image (not the reduced work copy), scaled by
    /// <paramref name="scale"/>, into a <paramref name="boxWidth"/>×<paramref name="boxHeight"/> ink plane.
    /// </summary>
    public byte[] Render(double scale, int boxWidth, int boxHeight)
    {
        var matrix = SKMatrix.CreateScaleTranslation((float)scale, (float)scale, (float)(-left * scale), (float)(-top * scale));
        using SKBitmap boxImage = SkiaResampler.Render(image, matrix, boxWidth, boxHeight);
        var plane = new byte[boxWidth * boxHeight];
        tone.Apply(boxImage.GetPixelSpan(), plane);
        return plane;
    }

    public void Dispose() => image.Dispose();
}
