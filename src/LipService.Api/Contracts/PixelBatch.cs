using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>
/// Digits of a predict request as one flat buffer of 784 floats each, filled while the JSON is
/// read: no array per digit and no second copy before scoring.
/// </summary>
/// <remarks>
/// Not pooled on purpose: libtorch reads large batches straight from this array (pinned by
/// <c>torch.from_array</c>), and pooled, repeatedly pinned buffers made the process's resident
/// memory climb by a third over 100,000 predictions, where fresh arrays kept it flat.
/// </remarks>
[JsonConverter(typeof(PixelBatchConverter))]
public sealed class PixelBatch
{
    public const int PixelsPerImage = 28 * 28;

    private float[] buffer = new float[PixelsPerImage];

    public int Count { get; private set; }

    /// <summary>The first image whose length is not 784, and that length; null when all are right.</summary>
    public (int Index, int Length)? WrongLength { get; private set; }

    /// <summary>The buffer; only the first <see cref="Count"/> × 784 values are the images.</summary>
    public float[] Buffer => buffer;

    public ReadOnlySpan<float> Image(int index) => buffer.AsSpan(index * PixelsPerImage, PixelsPerImage);

    public static PixelBatch From(IReadOnlyList<float[]> images)
    {
        var batch = new PixelBatch();
        foreach (var image in images) image.CopyTo(batch.AddImage());
        return batch;
    }

    /// <summary>Room for one more image (the buffer doubles when full).</summary>
    internal Span<float> AddImage()
    {
        int needed = (Count + 1) * PixelsPerImage;
        if (needed > buffer.Length) Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        Count++;
        return buffer.AsSpan((Count - 1) * PixelsPerImage, PixelsPerImage);
    }

    internal void NoteLength(int index, int length)
    {
        if (length != PixelsPerImage && WrongLength is null) WrongLength = (index, length);
    }
}
