using System.IO.Compression;
using LipService.Api.Storage;
using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>Reads a split of an uploaded dataset back from its chunks (see <see cref="DatasetChunkWriter"/>).</summary>
internal static class DatasetSamples
{
    /// <summary>The split's images end to end (<paramref name="shape"/>'s bytes each) and their labels, in upload order.</summary>
    public static async Task<(byte[] Pixels, byte[] Labels)> ReadAsync(IDatasetCatalog catalog, string id, int split, ImageShape shape, CancellationToken cancellationToken)
    {
        var chunks = await catalog.ReadDatasetChunksAsync(id, split, cancellationToken);
        long total = 0;
        foreach (var (samples, _) in chunks) total += samples;
        int record = 1 + shape.Pixels;
        var pixels = new byte[total * shape.Pixels];
        var labels = new byte[total];
        var packed = Array.Empty<byte>();
        long sample = 0;
        foreach (var (samples, data) in chunks)
        {
            // A chunk holds at most the writer's chunk size: its count says how much.
            long expected = (long)samples * record;
            if (expected > Math.Max(DatasetChunkWriter.ChunkBytes, record)) throw new InvalidDataException($"Dataset {id}: a chunk lists more samples than a chunk can hold.");
            if (packed.Length < expected + 1) packed = new byte[expected + 1];
            int length = Inflate(data, packed);
            if (length != samples * record) throw new InvalidDataException($"Dataset {id}: a chunk holds {length} bytes, not the {samples} samples of {record} bytes it lists.");
            for (int i = 0; i < samples; i++, sample++)
            {
                int offset = i * record;
                labels[sample] = packed[offset];
                packed.AsSpan(offset + 1, shape.Pixels).CopyTo(pixels.AsSpan((int)(sample * shape.Pixels), shape.Pixels));
            }
        }
        return (pixels, labels);
    }

    /// <summary>Inflates into <paramref name="target"/>, one byte longer than expected, so that a chunk holding more than it lists shows.</summary>
    private static int Inflate(byte[] data, byte[] target)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        int length = 0, read;
        while (length < target.Length && (read = gzip.Read(target, length, target.Length - length)) > 0) length += read;
        return length;
    }
}
