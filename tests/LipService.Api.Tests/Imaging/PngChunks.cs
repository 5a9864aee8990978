using System.Buffers.Binary;
using System.Text;

namespace LipService.Api.Tests.Imaging;

/// <summary>Hand-built PNG files, for headers no encoder would write.</summary>
internal static class PngChunks
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // A complete zlib stream holding nothing: enough for a decoder to get past IDAT's framing.
    private static readonly byte[] EmptyZlib = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    /// <summary>An 8-bit greyscale PNG whose header claims <paramref name="width"/>×<paramref name="height"/> but carries no pixel data.</summary>
    public static byte[] HeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (grey), deflate, adaptive filtering, no interlace
        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", EmptyZlib);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Inserts a chunk right after IHDR (signature 8 bytes + IHDR 25 bytes).</summary>
    public static byte[] InsertAfterHeader(byte[] png, string type, ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, 33));
        WriteChunk(output, type, data);
        output.Write(png.AsSpan(33));
        return output.ToArray();
    }

    public static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typeAndData));
        stream.Write(word);
    }
}
