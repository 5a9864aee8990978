using System.Buffers.Binary;
using System.IO.Compression;
using LipService.Training.Data;
using static System.FormattableString;

namespace LipService.Api.Datasets;

/// <summary>
/// One uploaded IDX file read front to back, through gzip when it starts with gzip's magic bytes
/// (whatever its name says). Read failures become rejections naming the file.
/// </summary>
internal sealed class IdxUploadStream : IDisposable
{
    private readonly FileStream _file;
    private readonly Stream _data;

    private IdxUploadStream(FileStream file, bool gzip, string field, string name)
    {
        _file = file;
        _data = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        IsGzip = gzip;
        Field = field;
        Name = name;
    }

    public string Field { get; }

    public string Name { get; }

    public bool IsGzip { get; }

    /// <summary>The file's size on disk: what an uncompressed file must match exactly.</summary>
    public long FileLength => _file.Length;

    public static IdxUploadStream Open(string path, string field, string name)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return new IdxUploadStream(file, IdxReader.StartsWithGzipMagic(file), field, name);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The big-endian magic number the file starts with.</summary>
    public uint ReadMagic()
    {
        Span<byte> magic = stackalloc byte[4];
        int got = Fill(magic);
        if (got < 4)
            throw Reject(Invariant($"is too short to be an IDX file ({got} bytes{AfterGzip})"));
        return BinaryPrimitives.ReadUInt32BigEndian(magic);
    }

    /// <summary>The <paramref name="dimensions"/> sizes after the magic number, unsigned, big-endian.</summary>
    public long[] ReadSizes(int dimensions)
    {
        Span<byte> header = stackalloc byte[4 * dimensions];
        int got = Fill(header);
        if (got < header.Length)
            throw Reject(Invariant($"ends inside its header, after {4 + got} of {4 + header.Length} bytes{AfterGzip}"));
        var sizes = new long[dimensions];
        for (int i = 0; i < dimensions; i++)
            sizes[i] = BinaryPrimitives.ReadUInt32BigEndian(header[(4 * i)..]);
        return sizes;
    }

    /// <summary>Fills <paramref name="buffer"/> unless the data ends first; answers how much was read.</summary>
    public int Fill(Span<byte> buffer)
    {
        try
        {
            return _data.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Reject($"is not valid gzip data ({e.Message})");
        }
        catch (EndOfStreamException e)
        {
            throw Reject($"ends early ({e.Message})");
        }
    }

    /// <summary>Whether nothing follows what was read; reads one byte at most, so trailing gigabytes cost nothing.</summary>
    public bool AtEnd()
    {
        Span<byte> probe = stackalloc byte[1];
        return Fill(probe) == 0;
    }

    /// <summary>", after gzip decompression" where that may explain a short file.</summary>
    public string AfterGzip => IsGzip ? ", after gzip decompression" : "";

    public DatasetRejectedException Reject(string problem, int statusCode = 400) =>
        new(Field, $"{Name}: {problem}.", statusCode);

    public void Dispose()
    {
        _data.Dispose();
        _file.Dispose();
    }
}
