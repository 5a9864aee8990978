using System.Buffers;
using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>
/// Digits of a predict request as one flat buffer of 784 floats each, rented from the array pool:
/// a 1,024-digit request would otherwise allocate a thousand arrays and a large-object-heap copy.
/// </summary>
[JsonConverter(typeof(PixelBatchConverter))]
public sealed class PixelBatch : IDisposable
{
    public const int PixelsPerImage = 28 * 28;

    private float[] buffer = ArrayPool<float>.Shared.Rent(PixelsPerImage * 4);

    public int Count { get; private set; }

    /// <summary>The first image whose length is not 784, and that length; null when all are right.</summary>
    public (int Index, int Length)? WrongLength { get; private set; }

    /// <summary>The pooled buffer; only the first <see cref="Count"/> × 784 values are the images.</summary>
    public float[] Buffer => buffer;

    public Span<float> Pixels => buffer.AsSpan(0, Count * PixelsPerImage);

    public ReadOnlySpan<float> Image(int index) => buffer.AsSpan(index * PixelsPerImage, PixelsPerImage);

    public static PixelBatch From(IReadOnlyList<float[]> images)
    {
        var batch = new PixelBatch();
        foreach (var image in images) image.CopyTo(batch.AddImage());
        return batch;
    }

    /// <summary>Room for one more image.</summary>
    internal Span<float> AddImage()
    {
        int needed = (Count + 1) * PixelsPerImage;
        if (needed > buffer.Length)
        {
            var larger = ArrayPool<float>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
            buffer.AsSpan(0, Count * PixelsPerImage).CopyTo(larger);
            ArrayPool<float>.Shared.Return(buffer);
            buffer = larger;
        }
        Count++;
        return buffer.AsSpan((Count - 1) * PixelsPerImage, PixelsPerImage);
    }

    internal void NoteLength(int index, int length)
    {
        if (length != PixelsPerImage && WrongLength is null) WrongLength = (index, length);
    }

    public void Dispose()
    {
        var rented = Interlocked.Exchange(ref buffer, []);
        if (rented.Length > 0) ArrayPool<float>.Shared.Return(rented);
    }
}
