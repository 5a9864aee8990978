using SkiaSharp;

namespace LipService.Api.Imaging;

/// <summary>
/// Turns an uploaded picture of one clothing item into the input Fashion-MNIST models expect: 28×28
/// row-major intensities in [0, 1], a light item on black, the item's bounding box scaled so its
/// longer side is 28 (aspect kept) and centred on the canvas by that box. That is Zalando's own
/// recipe (trim, resize the longest edge to 28, extend the shorter one around the centre, negate),
/// so unlike <see cref="MnistDigitPreprocessor"/> there is no 20-pixel box and no centre-of-mass shift.
/// </summary>
/// <remarks>
/// Thread-safe for the same reasons as <see cref="MnistDigitPreprocessor"/>, and with the same limits
/// (<see cref="DigitImageOptions"/>). Uploads are read and header-checked by
/// <see cref="MnistDigitPreprocessor.ReadAsync"/>; this class only decides what the pixels become.
/// A picture with no item (blank, uniform, fully transparent) gives all zeros.
/// </remarks>
public sealed class FashionItemPreprocessor
{
    /// <summary>Length of every result: 28 × 28.</summary>
    public const int PixelCount = MnistCanvas.Side * MnistCanvas.Side;

    // As for digits: the item is found on a copy of at most 256 px a side, then resampled from the
    // decoded image so a small item in a large photo keeps its detail.
    private const int WorkSide = 256;

    // The item is whatever differs from the background by more than 5% of the item's contrast:
    // Zalando trimmed edges within 5% of the corner colour. A higher threshold (digits use 10%)
    // would cut the faint rims Fashion-MNIST's items have and enlarge the rest.
    private const double ItemThreshold = 0.05;

    // Below this difference between background and the most distinct pixel (of 255) the picture is
    // taken as blank, as for digits: sensor and JPEG noise on empty backgrounds stay under it.
    private const int MinContrast = 32;

    private readonly int _maxSide;
    private readonly long _maxBytes;

    public FashionItemPreprocessor(DigitImageOptions? options = null)
    {
        options ??= new DigitImageOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSide, 1, nameof(options) + "." + nameof(options.MaxSide));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, 1, nameof(options) + "." + nameof(options.MaxBytes));
        _maxSide = options.MaxSide;
        _maxBytes = Math.Min(options.MaxBytes, Array.MaxLength);
    }

    /// <summary>Preprocesses an encoded image (PNG, JPEG, BMP, GIF, WebP, ICO).</summary>
    /// <param name="fileName">Used only in rejection messages.</param>
    /// <returns><see cref="PixelCount"/> values in [0, 1]; all zeros when there is no item.</returns>
    /// <exception cref="ImageRejectedException">Empty, too many bytes, too many pixels per side, undecodable or truncated.</exception>
    public float[] ToFashionMnist(ReadOnlySpan<byte> encoded, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        using SKBitmap image = DigitImageDecoder.Decode(encoded, fileName, _maxSide, _maxBytes);
        using SKBitmap? reduced = Math.Max(image.Width, image.Height) > WorkSide ? SkiaResampler.FitWithin(image, WorkSide) : null;
        SKBitmap work = reduced ?? image;

        // InkTone inverts a light background, which is what Fashion-MNIST's negation did to
        // Zalando's product photos on white.
        var plane = new byte[work.Width * work.Height];
        if (InkTone.Measure(work.GetPixelSpan(), work.Width, work.Height, plane) is not { } tone) return new float[PixelCount];

        byte background = PlaneStatistics.BorderMedian(plane, work.Width, work.Height);
        byte peak = PlaneStatistics.Max(plane);
        if (peak - background < MinContrast) return new float[PixelCount];
        byte threshold = (byte)(background + (int)(ItemThreshold * (peak - background)));
        if (InkBounds.Find(plane, work.Width, threshold) is not { } bounds) return new float[PixelCount];

        return Fit(image, work, bounds, tone, background);
    }

    /// <summary>Preprocesses an image read by <see cref="MnistDigitPreprocessor.ReadAsync"/>.</summary>
    /// <inheritdoc cref="ToFashionMnist(ReadOnlySpan{byte}, string)"/>
    public float[] ToFashionMnist(EncodedDigitImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ToFashionMnist(image.Bytes.Span, image.FileName);
    }

    // Resamples the item's box from the decoded image (not the reduced work copy) to longest side
    // 28, stretches background→0 and the brightest pixel→1 (every Fashion-MNIST item peaks at 250 or
    // more), and centres the box on the canvas.
    private static float[] Fit(SKBitmap image, SKBitmap work, InkBounds bounds, InkTone tone, byte background)
    {
        const int side = MnistCanvas.Side;
        double toImageX = (double)image.Width / work.Width, toImageY = (double)image.Height / work.Height;
        double left = bounds.X * toImageX, top = bounds.Y * toImageY;
        double itemWidth = bounds.Width * toImageX, itemHeight = bounds.Height * toImageY;
        double scale = side / Math.Max(itemWidth, itemHeight);
        int width = Math.Clamp((int)Math.Round(itemWidth * scale), 1, side);
        int height = Math.Clamp((int)Math.Round(itemHeight * scale), 1, side);

        var matrix = SKMatrix.CreateScaleTranslation((float)scale, (float)scale, (float)(-left * scale), (float)(-top * scale));
        using SKBitmap boxImage = SkiaResampler.Render(image, matrix, width, height);
        var boxPlane = new byte[width * height];
        tone.Apply(boxImage.GetPixelSpan(), boxPlane);

        var canvas = new float[PixelCount];
        byte peak = PlaneStatistics.Max(boxPlane);
        if (peak <= background) return canvas;

        // Whole-pixel margins, so the resampled box is not blurred a second time. When the margins
        // cannot be equal the extra pixel goes before the item (left, top): that is how 99.5% of
        // Fashion-MNIST's test items with an odd margin sum are placed.
        int x0 = (side - width + 1) / 2, y0 = (side - height + 1) / 2;
        float range = peak - background;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                canvas[(y0 + y) * side + x0 + x] = Math.Clamp((boxPlane[y * width + x] - background) / range, 0f, 1f);
            }
        }
        return canvas;
    }
}
