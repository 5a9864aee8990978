namespace LipService.Api.Imaging;

/// <summary>
/// Turns an uploaded picture of one handwritten digit into the input MNIST models expect: 28×28
/// row-major intensities in [0, 1], light ink on black, the ink scaled to fit 20×20 (aspect kept)
/// and shifted so its centre of mass sits at pixel (14, 14), as in MNIST itself.
/// </summary>
/// <remarks>
/// Thread-safe: an instance holds only the limits copied at construction, and every native Skia
/// object lives and dies inside one call. A picture with no ink (blank, uniform, fully transparent)
/// is a valid input and gives all zeros: the model scores it like any other digit, and the caller
/// decides what a low-confidence answer means.
/// </remarks>
public sealed class MnistDigitPreprocessor
{
    /// <summary>Length of every result: 28 × 28.</summary>
    public const int PixelCount = MnistCanvas.Side * MnistCanvas.Side;

    // Ink for the bounding box is anything above 10% of the way from paper to the darkest stroke:
    // JPEG ringing and paper grain stay out, while MNIST's own digits (which have faint
    // anti-aliased edges) keep their 20-pixel extent in 9,996 of 10,000 test images.
    private const double InkThreshold = 0.1;

    private readonly UploadLimits _limits;

    public MnistDigitPreprocessor(ImageUploadOptions? options = null)
    {
        _limits = new UploadLimits(options);
    }

    /// <summary>Preprocesses an encoded image (PNG, JPEG, BMP, GIF, WebP, ICO).</summary>
    /// <param name="fileName">Used only in rejection messages.</param>
    /// <returns><see cref="PixelCount"/> values in [0, 1]; all zeros when there is no ink.</returns>
    /// <exception cref="ImageRejectedException">Empty, too many bytes, too many pixels per side, undecodable or truncated.</exception>
    public float[] ToMnist(ReadOnlySpan<byte> encoded, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        using ForegroundScan? ink = ForegroundScan.Find(encoded, fileName, _limits, InkThreshold);
        return ink is null ? new float[PixelCount] : Box(ink);
    }

    /// <summary>Reads at most <see cref="ImageUploadOptions.MaxBytes"/> from a stream, then preprocesses it.</summary>
    /// <inheritdoc cref="ToMnist(ReadOnlySpan{byte}, string)"/>
    public async Task<float[]> ToMnistAsync(Stream encoded, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return ToMnist((await ReadBytesAsync(encoded, fileName, cancellationToken).ConfigureAwait(false)).Span, fileName);
    }

    /// <summary>
    /// Reads at most <see cref="ImageUploadOptions.MaxBytes"/> from a stream and checks the image's
    /// header, without decoding it, so a caller can weigh <see cref="EncodedImage.DecodedPixels"/> first.
    /// </summary>
    /// <exception cref="ImageRejectedException">Empty, too many bytes, too many pixels per side or not an image.</exception>
    public async Task<EncodedImage> ReadAsync(Stream encoded, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var bytes = await ReadBytesAsync(encoded, fileName, cancellationToken).ConfigureAwait(false);
        return EncodedImageDecoder.ReadHeader(bytes, fileName, _limits.MaxSide, _limits.MaxBytes);
    }

    /// <summary>Preprocesses an image read by <see cref="ReadAsync"/>.</summary>
    /// <inheritdoc cref="ToMnist(ReadOnlySpan{byte}, string)"/>
    public float[] ToMnist(EncodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ToMnist(image.Bytes.Span, image.FileName);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBytesAsync(Stream encoded, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.CanSeek && encoded.Length - encoded.Position > _limits.MaxBytes) throw EncodedImageDecoder.TooManyBytes(fileName, _limits.MaxBytes);

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await encoded.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // Stop reading as soon as the limit is passed, so an endless upload costs at most MaxBytes.
            if (buffer.Length + read > _limits.MaxBytes) throw EncodedImageDecoder.TooManyBytes(fileName, _limits.MaxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    // Resamples the inked region from the decoded image (not the reduced work copy) so a
    // small digit in a large photo keeps its detail, then stretches paper→0 and darkest stroke→1.
    private static float[] Box(ForegroundScan ink)
    {
        double scale = MnistCanvas.BoxSide / Math.Max(ink.Width, ink.Height);
        int width = Math.Clamp((int)Math.Round(ink.Width * scale), 1, MnistCanvas.BoxSide);
        int height = Math.Clamp((int)Math.Round(ink.Height * scale), 1, MnistCanvas.BoxSide);
        byte[] boxInk = ink.Render(scale, width, height);

        byte paper = ink.Background;
        byte peak = PlaneStatistics.Max(boxInk);
        if (peak <= paper) return new float[PixelCount];
        var box = new float[boxInk.Length];
        float range = peak - paper;
        for (int i = 0; i < box.Length; i++) box[i] = Math.Clamp((boxInk[i] - paper) / range, 0f, 1f);
        return MnistCanvas.Place(box, width, height);
    }
}
