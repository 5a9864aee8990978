using System.Buffers.Binary;
using System.IO.Compression;

namespace LipService.Training.Data;

/// <summary>
/// Reads IDX files (the format of the MNIST distribution) of unsigned bytes fully into memory.
/// Input may be raw or gzip-compressed; gzip is recognised by its magic bytes, not the file name.
/// Every structural problem surfaces as an <see cref="IdxFormatException"/> naming the file.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Largest accepted row or column count; anything bigger is a corrupt header, not an image.</summary>
    public const int MaxSide = 4096;

    /// <summary>Largest accepted item count.</summary>
    public const int MaxCount = 10_000_000;

    private const byte UnsignedByteType = 0x08;
    private const int InitialDataChunk = 1 << 24;

    public static IdxImages ReadImages(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadImages(stream, path);
    }

    /// <param name="stream">Raw or gzip-compressed IDX data; read to its end. Non-seekable streams are buffered first.</param>
    /// <param name="name">Names the data in error messages, usually its file path.</param>
    public static IdxImages ReadImages(Stream stream, string name)
    {
        var (sizes, data) = Read(stream, name, dimensions: 3, kind: "image");
        return new IdxImages(sizes[0], sizes[1], sizes[2], data);
    }

    public static byte[] ReadLabels(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadLabels(stream, path);
    }

    /// <param name="stream">Raw or gzip-compressed IDX data; read to its end. Non-seekable streams are buffered first.</param>
    /// <param name="name">Names the data in error messages, usually its file path.</param>
    public static byte[] ReadLabels(Stream stream, string name) =>
        Read(stream, name, dimensions: 1, kind: "label").Data;

    private static (int[] Sizes, byte[] Data) Read(Stream stream, string name, int dimensions, string kind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);

        // Sniffing the gzip magic needs to rewind, which only a seekable stream allows.
        using var buffered = stream.CanSeek ? null : new MemoryStream();
        if (buffered is not null)
        {
            stream.CopyTo(buffered);
            buffered.Position = 0;
        }

        var source = buffered ?? stream;
        if (!StartsWithGzipMagic(source))
        {
            return ReadPayload(source, name, dimensions, kind, compressed: false);
        }

        using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return ReadPayload(gzip, name, dimensions, kind, compressed: true);
        }
        catch (InvalidDataException ex)
        {
            throw Error(name, $"is not valid gzip data ({ex.Message})", ex);
        }
    }

    /// <summary>Whether the stream, from where it stands, starts with gzip's magic bytes (whatever the file is called); it is left where it was.</summary>
    public static bool StartsWithGzipMagic(Stream stream)
    {
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static (int[] Sizes, byte[] Data) ReadPayload(Stream stream, string name, int dimensions, string kind, bool compressed)
    {
        // A cut-off .gz often decompresses without complaint to a short result; say where to look.
        var shortBecause = compressed ? " (after gzip decompression; the .gz file may be cut short)" : "";
        var sizes = ReadSizes(stream, name, dimensions, kind, shortBecause);
        long total = 1;
        foreach (var size in sizes) total *= size;
        if (total > Array.MaxLength)
        {
            throw Error(name, $"declares {total} data bytes ({string.Join(" x ", sizes)}), more than fits in memory as one array");
        }

        var data = ReadData(stream, (int)total, out var dataRead);
        if (dataRead < total)
        {
            throw Error(name, $"is truncated: expected {total} bytes of {kind} data ({string.Join(" x ", sizes)}) after the {4 + (4 * dimensions)}-byte header, got {dataRead}{shortBecause}");
        }

        var trailing = CountRemaining(stream);
        if (trailing > 0)
        {
            throw Error(name, $"has {trailing} unexpected trailing byte(s) after the {total} data bytes its header declares");
        }

        return (sizes, data);
    }

    /// <summary>Reads and checks the header: the magic number (unsigned bytes, <paramref name="dimensions"/> dimensions), then each dimension's size.</summary>
    private static int[] ReadSizes(Stream stream, string name, int dimensions, string kind, string shortBecause)
    {
        var expectedMagic = (UnsignedByteType << 8) | dimensions;
        var headerLength = 4 + (4 * dimensions);
        Span<byte> header = stackalloc byte[headerLength];

        var got = stream.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw Error(name, $"is too short to be an IDX file: expected at least {headerLength} bytes of header, got {got}{shortBecause}");
        }

        var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (header[0] != 0 || header[1] != 0)
        {
            throw Error(name, $"is not an IDX {kind} file: magic number 0x{magic:X8}, expected 0x{expectedMagic:X8}");
        }

        if (header[2] != UnsignedByteType)
        {
            throw Error(name, $"has data type 0x{header[2]:X2} in magic number 0x{magic:X8}; only unsigned bytes (type 0x08) are supported");
        }

        if (header[3] != dimensions)
        {
            throw Error(name, $"has {header[3]} dimension(s) in magic number 0x{magic:X8}, but an IDX {kind} file has {dimensions} (magic 0x{expectedMagic:X8})");
        }

        got = stream.ReadAtLeast(header[4..], headerLength - 4, throwOnEndOfStream: false);
        if (got < headerLength - 4)
        {
            throw Error(name, $"has a truncated header: expected {headerLength} bytes, got {4 + got}{shortBecause}");
        }

        var sizes = new int[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(header[(4 + (4 * i))..]);
            var limit = i == 0 ? MaxCount : MaxSide;
            var what = i switch { 0 => "item count", 1 => "row count", _ => "column count" };
            if (size <= 0 || size > limit)
            {
                throw Error(name, $"has {what} {size} in its header; expected 1 to {limit}");
            }

            sizes[i] = size;
        }

        return sizes;
    }

    // Grows the buffer as data actually arrives, so a corrupt header claiming gigabytes costs
    // at most about twice the real data, not the claimed size.
    private static byte[] ReadData(Stream stream, int length, out int read)
    {
        var buffer = new byte[Math.Min(length, InitialDataChunk)];
        var filled = 0;
        while (true)
        {
            filled += stream.ReadAtLeast(buffer.AsSpan(filled), buffer.Length - filled, throwOnEndOfStream: false);
            if (filled < buffer.Length || filled == length)
            {
                read = filled;
                return buffer;
            }

            Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, length));
        }
    }

    private static long CountRemaining(Stream stream)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long count = 0;
        int n;
        while ((n = stream.Read(scratch)) > 0)
        {
            count += n;
        }

        return count;
    }

    private static IdxFormatException Error(string name, string problem, Exception? inner = null) =>
        new(name, $"IDX file '{name}' {problem}.", inner);
}
