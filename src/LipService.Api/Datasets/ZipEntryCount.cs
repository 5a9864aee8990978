using System.Buffers.Binary;

namespace LipService.Api.Datasets;

/// <summary>
/// Reads how many entries a zip declares from its end-of-central-directory record, before
/// <see cref="System.IO.Compression.ZipArchive"/> loads an object for every entry: a zip of millions of
/// empty entries would otherwise cost memory before any of our checks ran.
/// </summary>
internal static class ZipEntryCount
{
    private const uint EndOfDirectory = 0x06054B50;
    private const uint Zip64Locator = 0x07064B50;
    private const uint Zip64EndOfDirectory = 0x06064B50;
    private const int EndOfDirectorySize = 22;
    private const int MaxCommentSize = ushort.MaxValue;

    /// <summary>The declared entry count; null when the record is not found (ZipArchive then names the damage). Leaves the stream at its start.</summary>
    public static long? Declared(Stream zip)
    {
        try
        {
            long length = zip.Length;
            int tail = (int)Math.Min(length, EndOfDirectorySize + MaxCommentSize);
            var buffer = new byte[tail];
            zip.Seek(length - tail, SeekOrigin.Begin);
            zip.ReadExactly(buffer);
            // The record is the last one with its signature; a comment after it may hold anything.
            for (int at = tail - EndOfDirectorySize; at >= 0; at--)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at)) != EndOfDirectory) continue;
                ushort total = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 10));
                return total != ushort.MaxValue ? total : Zip64Count(zip, buffer, at, length);
            }
            return null;
        }
        finally
        {
            zip.Seek(0, SeekOrigin.Begin);
        }
    }

    /// <summary>A zip64 file keeps the count in its own record, which a locator just before the classic one points at.</summary>
    private static long? Zip64Count(Stream zip, byte[] tail, int endOfDirectory, long length)
    {
        int locator = endOfDirectory - 20;
        if (locator < 0 || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(locator)) != Zip64Locator) return ushort.MaxValue;
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(locator + 8));
        if (offset > (ulong)(length - 56)) return null;
        var record = new byte[56];
        zip.Seek((long)offset, SeekOrigin.Begin);
        zip.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndOfDirectory) return null;
        ulong total = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
        return total > long.MaxValue ? long.MaxValue : (long)total;
    }
}
