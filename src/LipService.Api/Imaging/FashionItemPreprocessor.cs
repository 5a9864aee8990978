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
/// (<see cref="ImageUploadOptions"/>). Uploads are read and header-checked by
/// <see cref="MnistDigitPreprocessor.ReadAsync"/>; this class only decides what the pixels become.
/// A picture with no item (blank, uniform, fully transparent) gives all zeros.
/// </remarks>
public sealed class FashionItemPreprocessor
{
    /// <summary>Length of every result: 28 × 28.</summary>
    public const int PixelCount = MnistCanvas.Side * MnistCanvas.Side;

    // The item is whatever differs from the background by more than 5% of the item's contrast:
    // Zalando trimmed edges within 5% of the corner colour. A higher threshold (digits use 10%)
    // would cut the faint rims Fashion-MNIST's items have and enlarge the rest.
    private const double ItemThreshold = 0.05;

    private readonly UploadLimits _limits;

    public FashionItemPreprocessor(ImageUploadOptions? options = null)
    {
        _limits = new UploadLimits(options);
    }

    /// <summary>Preprocesses an encoded image (PNG, JPEG, BMP, GIF, WebP, ICO).</summary>
    /// <param name="fileName">Used only in rejection messages.</param>
    /// <returns><see cref="PixelCount"/> values in [0, 1]; all zeros when there is no item.</returns>
    /// <exception cref="ImageRejectedException">Empty, too many bytes, too many pixels per side, undecodable or truncated.</exception>
    public float[] ToFashionMnist(ReadOnlySpan<byte> encoded, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        // InkTone inverts a light background, which is what Fashion-MNIST's negation did to
        // Zalando's product photos on white.
        using ForegroundScan? item = ForegroundScan.Find(encoded, fileName, _limits, ItemThreshold);
        return item is null ? new float[PixelCount] : Fit(item);
    }

    /// <summary>Preprocesses an image read by <see cref="MnistDigitPreprocessor.ReadAsync"/>.</summary>
    /// <inheritdoc cref="ToFashionMnist(ReadOnlySpan{byte}, string)"/>
    public float[] ToFashionMnist(EncodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ToFashionMnist(image.Bytes.Span, image.FileName);
    }

    // Resamples the item's box from the decoded image (not the reduced work copy) to longest side
    // 28, stretches background→0 and the brightest pixel→1 (every Fashion-MNIST item peaks at 250 or
    // more), and centres the box on the canvas.
    private static float[] Fit(ForegroundScan item)
    {
        const int side = MnistCanvas.Side;
        double scale = side / Math.Max(item.Width, item.Height);
        int width = Math.Clamp((int)Math.Round(item.Width * scale), 1, side);
        int height = Math.Clamp((int)Math.Round(item.Height * scale), 1, side);
        byte[] boxPlane = item.Render(scale, width, height);

        var canvas = new float[PixelCount];
        byte background = item.Background;
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
