using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>
/// Images of a predict request, as read from JSON or decoded from uploads: 784 floats each for the
/// built-in datasets, channels × height × width for an uploaded one's. Each keeps the length it was
/// sent with, so that the model it goes to can refuse a wrong one by name.
/// </summary>
/// <remarks>
/// One small array per digit: they stay in the young generation, where a growing flat buffer
/// (or a pooled one, pinned by libtorch) cost large-object-heap collections or resident memory.
/// </remarks>
[JsonConverter(typeof(Imaging.PixelBatchConverter))]
public sealed class PixelBatch
{
    /// <summary>An MNIST image's values, the length a new image has room for before it grows.</summary>
    public const int PixelsPerImage = Training.Data.MnistFile.PixelsPerImage;

    private readonly List<float[]> images = [];

    public int Count => images.Count;

    public float[] Image(int index) => images[index];

    public static PixelBatch From(IReadOnlyList<float[]> images)
    {
        var batch = new PixelBatch();
        foreach (var image in images) batch.images.Add((float[])image.Clone());
        return batch;
    }

    /// <summary>The first image whose length is not <paramref name="expected"/>, and that length; null when all are right.</summary>
    public (int Index, int Length)? FirstWrongLength(int expected)
    {
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Length != expected) return (i, images[i].Length);
        }
        return null;
    }

    /// <summary>The images one after another, for scoring a whole batch at once; they must be of one length.</summary>
    public float[] ToFlatArray()
    {
        int size = images.Count == 0 ? 0 : images[0].Length;
        var flat = new float[images.Count * size];
        for (int i = 0; i < images.Count; i++) images[i].CopyTo(flat, i * size);
        return flat;
    }

    /// <summary>Room for the values of one more image, to be filled with <see cref="Put"/> and closed with <see cref="EndImage"/>.</summary>
    internal static float[] NewImage() => new float[PixelsPerImage];

    /// <summary>Stores value number <paramref name="index"/>, growing <paramref name="image"/> when it is full; returns the image to go on with.</summary>
    internal static float[] Put(float[] image, int index, float value)
    {
        if (index == image.Length) Array.Resize(ref image, image.Length * 2);
        image[index] = value;
        return image;
    }

    /// <summary>Adds the image read into <paramref name="image"/>, trimmed to its <paramref name="length"/> values.</summary>
    internal void EndImage(float[] image, int length)
    {
        if (image.Length != length) Array.Resize(ref image, length);
        images.Add(image);
    }

}
