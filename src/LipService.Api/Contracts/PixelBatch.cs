using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>Digits of a predict request, 784 floats each, as read from JSON or decoded from uploads.</summary>
/// <remarks>
/// One small array per digit: they stay in the young generation, where a growing flat buffer
/// (or a pooled one, pinned by libtorch) cost large-object-heap collections or resident memory.
/// </remarks>
[JsonConverter(typeof(Imaging.PixelBatchConverter))]
public sealed class PixelBatch
{
    public const int PixelsPerImage = Training.Data.MnistFile.PixelsPerImage;

    private readonly List<float[]> images = [];

    public int Count => images.Count;

    /// <summary>The first image whose length is not 784, and that length; null when all are right.</summary>
    public (int Index, int Length)? WrongLength { get; private set; }

    public float[] Image(int index) => images[index];

    public static PixelBatch From(IReadOnlyList<float[]> images)
    {
        var batch = new PixelBatch();
        foreach (var image in images) image.CopyTo(batch.AddImage());
        return batch;
    }

    /// <summary>The images one after another, for scoring a whole batch at once.</summary>
    public float[] ToFlatArray()
    {
        var flat = new float[images.Count * PixelsPerImage];
        for (int i = 0; i < images.Count; i++) images[i].CopyTo(flat, i * PixelsPerImage);
        return flat;
    }

    /// <summary>Room for one more image.</summary>
    internal float[] AddImage()
    {
        var image = new float[PixelsPerImage];
        images.Add(image);
        return image;
    }

    internal void NoteLength(int index, int length)
    {
        if (length != PixelsPerImage && WrongLength is null) WrongLength = (index, length);
    }
}
