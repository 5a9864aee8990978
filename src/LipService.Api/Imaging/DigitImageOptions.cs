namespace LipService.Api.Imaging;

/// <summary>
/// Limits on uploaded digit images. Settable so configuration binding can fill them;
/// <see cref="MnistDigitPreprocessor"/> copies them once, so later changes do not affect it.
/// </summary>
public sealed class DigitImageOptions
{
    /// <summary>Largest width or height, in pixels, read from the header before any pixel is decoded.</summary>
    public int MaxSide { get; set; } = 4096;

    /// <summary>Largest encoded file size in bytes.</summary>
    public long MaxBytes { get; set; } = 8 * 1024 * 1024;
}
