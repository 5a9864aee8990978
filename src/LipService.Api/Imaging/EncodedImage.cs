namespace LipService.Api.Imaging;

/// <summary>
/// An upload read into memory whose header has passed the per-image checks, not yet decoded. Lets a
/// request add up what its images will cost to decode before it decodes any of them.
/// </summary>
public sealed class EncodedImage
{
    internal EncodedImage(ReadOnlyMemory<byte> bytes, string fileName, int width, int height, int decodeWidth, int decodeHeight)
    {
        Bytes = bytes;
        FileName = fileName;
        Width = width;
        Height = height;
        DecodeWidth = decodeWidth;
        DecodeHeight = decodeHeight;
    }

    internal ReadOnlyMemory<byte> Bytes { get; }

    public string FileName { get; }

    /// <summary>The size the header declares.</summary>
    public int Width { get; }

    /// <inheritdoc cref="Width"/>
    public int Height { get; }

    /// <summary>The size it will be decoded at: smaller than declared when the codec can shrink while decoding.</summary>
    public int DecodeWidth { get; }

    /// <inheritdoc cref="DecodeWidth"/>
    public int DecodeHeight { get; }

    /// <summary>What decoding will cost, in pixels; the quantity <see cref="ImageUploadOptions.MaxPixelsPerRequest"/> budgets.</summary>
    public long DecodedPixels => (long)DecodeWidth * DecodeHeight;
}
