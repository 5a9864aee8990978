using System.IO.Compression;

namespace LipService.Api.Tests.Http;

/// <summary>Real MNIST test digits (pixels scaled to [0, 1]) with their labels, read from the workspace copy.</summary>
internal static class MnistDigits
{
    private static readonly Lazy<(byte[] Pixels, byte[] Labels)> Data = new(Load);

    /// <summary>The first <paramref name="count"/> test digits of the two classes, in file order.</summary>
    public static IReadOnlyList<(float[] Pixels, int Label)> Take(int count, int positive = 0, int negative = 8)
    {
        var (pixels, labels) = Data.Value;
        var result = new List<(float[], int)>();
        for (int i = 0; i < labels.Length && result.Count < count; i++)
        {
            if (labels[i] != positive && labels[i] != negative) continue;
            var digit = new float[784];
            for (int p = 0; p < 784; p++) digit[p] = pixels[i * 784 + p] / 255f;
            result.Add((digit, labels[i]));
        }
        return result;
    }

    /// <summary>The raw 28×28 bytes of the i-th selected digit (for rendering images).</summary>
    public static IReadOnlyList<(byte[] Pixels, int Label)> TakeBytes(int count, int positive = 0, int negative = 8)
    {
        var (pixels, labels) = Data.Value;
        var result = new List<(byte[], int)>();
        for (int i = 0; i < labels.Length && result.Count < count; i++)
        {
            if (labels[i] != positive && labels[i] != negative) continue;
            result.Add((pixels.AsSpan(i * 784, 784).ToArray(), labels[i]));
        }
        return result;
    }

    /// <summary>Test image <paramref name="index"/> of any class: 784 bytes, row-major, 0 = black paper, 255 = ink.</summary>
    public static byte[] RawTestImage(int index) => Data.Value.Pixels.AsSpan(index * 784, 784).ToArray();

    private static (byte[], byte[]) Load()
    {
        byte[] images = Gunzip(Path.Combine(WorkspaceData.MnistDirectory, "t10k-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(Path.Combine(WorkspaceData.MnistDirectory, "t10k-labels-idx1-ubyte.gz"));
        int magic = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(images);
        int rows = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        if (magic != 2051 || rows != 28) throw new InvalidDataException($"Not IDX3 28×28 images: magic {magic}, {rows} rows.");
        return (images[16..], labels[8..]);
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
