using System.IO.Compression;
using LipService.Api.Storage;

namespace LipService.Api.Datasets;

/// <summary>
/// Stores samples as they are parsed: each split's samples are packed (a label byte, then the pixel
/// bytes) into a buffer that is gzip-compressed into the store before it would pass <see cref="ChunkBytes"/>,
/// so memory stays at three chunk-sized buffers (two splits and the compressed copy) whatever the upload's size. Counts every class per split and keeps
/// the first few training images of each class as thumbnails.
/// </summary>
/// <param name="chunkBytes">The size a buffer is written at: <see cref="ChunkBytes"/> but in tests of chunk boundaries.</param>
internal sealed class DatasetChunkWriter(IDatasetCatalog catalog, string datasetId, CancellationToken cancellationToken, int chunkBytes = DatasetChunkWriter.ChunkBytes) : ISampleSink
{
    /// <summary>Uncompressed bytes per chunk: large enough that a row's overhead does not matter, small enough that two stay cheap.</summary>
    /// <remarks>
    /// Measured on a 200 MB upload of incompressible pixels (docs/benchmarks.md): at 4 MiB the server's RSS grew 62 MiB,
    /// mostly SQLite's copies of each bound row in the native allocator; at 1 MiB 18 MiB, as fast; at 256 KiB 15 MiB, 40 % slower.
    /// </remarks>
    public const int ChunkBytes = 1 << 20;

    public const int ThumbnailsPerClass = 3;

    public const int TrainingSplit = 0;
    public const int ValidationSplit = 1;

    // Sized for a whole chunk up front and reused, as is the compressed copy's buffer, which goes to the
    // store as it is: a large upload allocates nothing per chunk.
    private readonly MemoryStream[] buffers = [new(chunkBytes), new(chunkBytes)];
    // Incompressible pixels come out of gzip a little longer than they went in.
    private readonly MemoryStream compressed = new(chunkBytes + (chunkBytes / 64) + 1024);
    private readonly int[] samplesInBuffer = new int[2];
    private readonly int[] chunksWritten = new int[2];
    private readonly Dictionary<int, int[]> counts = [];
    private readonly List<(int Label, byte[] Pixels)> thumbnails = [];

    /// <summary>
    /// The share of each class's next samples that goes to validation, spread evenly through the
    /// class (sample k of a class is validation when ⌊(k+1)·f⌋ > ⌊k·f⌋): 1 for a validation file,
    /// the requested fraction for a training file split here.
    /// </summary>
    public double ValidationFraction { get; set; }

    public long StoredBytes { get; private set; }

    public int Count(int split) => counts.Values.Sum(c => c[split]);

    /// <summary>Per label, training and validation counts.</summary>
    public IReadOnlyDictionary<int, int[]> Counts => counts;

    public IReadOnlyList<(int Label, byte[] Pixels)> Thumbnails => thumbnails;

    public void Add(ReadOnlySpan<byte> pixels, int label)
    {
        if (label is < 0 or > byte.MaxValue) throw new ArgumentOutOfRangeException(nameof(label), label, "Labels are stored as one byte.");
        if (!counts.TryGetValue(label, out var classCounts)) counts[label] = classCounts = new int[2];
        // Counted over all of the class's samples so far; a validation file's fraction of 1 sends every one of its own.
        long seen = classCounts[TrainingSplit] + classCounts[ValidationSplit];
        int split = Math.Floor((seen + 1) * ValidationFraction) > Math.Floor(seen * ValidationFraction) ? ValidationSplit : TrainingSplit;
        classCounts[split]++;
        if (split == TrainingSplit && classCounts[split] <= ThumbnailsPerClass) thumbnails.Add((label, pixels.ToArray()));

        // Flushed before a sample would overflow it, so a buffer never grows past its chunk.
        var buffer = buffers[split];
        if (buffer.Length + 1 + pixels.Length > chunkBytes) Flush(split);
        buffer.WriteByte((byte)label);
        buffer.Write(pixels);
        samplesInBuffer[split]++;
    }

    /// <summary>Writes what is still buffered.</summary>
    public void Finish()
    {
        Flush(TrainingSplit);
        Flush(ValidationSplit);
    }

    private void Flush(int split)
    {
        if (samplesInBuffer[split] == 0) return;
        var buffer = buffers[split];
        compressed.SetLength(0);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        var data = new ArraySegment<byte>(compressed.GetBuffer(), 0, (int)compressed.Length);
        // The readers are synchronous (they run on a worker thread of their own); so is this write.
        catalog.AddDatasetChunkAsync(datasetId, split, chunksWritten[split], samplesInBuffer[split], data, cancellationToken).GetAwaiter().GetResult();
        StoredBytes += data.Count;
        chunksWritten[split]++;
        samplesInBuffer[split] = 0;
        buffer.SetLength(0);
    }
}
