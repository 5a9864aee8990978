namespace LipService.Training.Data;

/// <summary>
/// A stack of equally sized single-channel images, as stored in an IDX image file:
/// <see cref="Pixels"/> holds <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/>
/// bytes each, row-major and contiguous, image after image.
/// </summary>
public sealed class IdxImages
{
    public IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)count * rows * columns != pixels.LongLength)
        {
            throw new ArgumentException(
                $"{count} images of {rows}x{columns} need {(long)count * rows * columns} pixels, got {pixels.LongLength}.",
                nameof(pixels));
        }

        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    public int Count { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Bytes per image (<see cref="Rows"/> * <see cref="Columns"/>).</summary>
    public int PixelsPerImage => Rows * Columns;

    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>, without copying.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
