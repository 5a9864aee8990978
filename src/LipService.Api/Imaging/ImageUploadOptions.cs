namespace LipService.Api.Imaging;

/// <summary>
/// Limits on uploaded images (digits and items alike). Settable so configuration binding can fill them;
/// <see cref="MnistDigitPreprocessor"/> copies them once, so later changes do not affect it.
/// </summary>
public sealed class ImageUploadOptions
{
    public const string SectionName = "Images";

    /// <summary>Largest width or height, in pixels, read from the header before any pixel is decoded.</summary>
    /// <remarks>
    /// 4096 rather than something nearer a digit's needs: phone cameras save 4032×3024 by default and a
    /// photo of a digit should not have to be resized by hand first. What one such image costs is
    /// bounded here; what a request of many costs is bounded by <see cref="MaxPixelsPerRequest"/>.
    /// </remarks>
    public int MaxSide { get; set; } = 4096;

    /// <summary>Largest encoded file size in bytes.</summary>
    public long MaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Pixels one /predict request may decode, all its images together, checked from the headers before any decoding.</summary>
    /// <remarks>
    /// Decoding costs by pixels, not bytes: a 29 KB PNG can declare 4096×4096 and take ~0.12 s of CPU
    /// and 64 MiB to decode, so 1,024 of them fit in the body limit. 64 Mi pixels (four images at
    /// MaxSide, ≈ 0.5 s of CPU) still admits five uncompressed 12-megapixel phone photos, and far
    /// more JPEGs, which are decoded shrunk (see <see cref="EncodedImageDecoder"/>) and charged at that size.
    /// </remarks>
    public long MaxPixelsPerRequest { get; set; } = 64L * 1024 * 1024;
}
