using System.Buffers.Binary;

namespace LipService.Api.Tests.Imaging;

/// <summary>Greyscale GIF files (Skia decodes GIF but cannot encode it).</summary>
internal static class GifWriter
{
    private const int ClearCode = 256;
    private const int EndCode = 257;

    // Every pixel is written as its own 9-bit literal code, with a clear code often enough that the
    // decoder's table never grows past 9 bits: valid LZW without implementing compression.
    private const int LiteralsPerClear = 250;

    /// <summary>A GIF89a with a 256-grey palette; <paramref name="grey"/> holds one palette index per pixel.</summary>
    public static byte[] Write(ReadOnlySpan<byte> grey, int width, int height)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.Write([0xF7, 0, 0]); // global palette of 2^(7+1) entries, 8-bit colour resolution
        for (int i = 0; i < 256; i++) gif.Write([(byte)i, (byte)i, (byte)i]);

        gif.WriteByte(0x2C); // image descriptor at (0, 0), no local palette, not interlaced
        WriteUInt16(gif, 0);
        WriteUInt16(gif, 0);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.WriteByte(0);

        gif.WriteByte(8); // LZW minimum code size
        byte[] codes = Literals(grey);
        for (int offset = 0; offset < codes.Length; offset += 255)
        {
            int length = Math.Min(255, codes.Length - offset);
            gif.WriteByte((byte)length);
            gif.Write(codes, offset, length);
        }
        gif.WriteByte(0); // end of image data
        gif.WriteByte(0x3B); // trailer
        return gif.ToArray();
    }

    private static byte[] Literals(ReadOnlySpan<byte> grey)
    {
        var bits = new List<byte>();
        int buffer = 0, count = 0;
        void Emit(int code)
        {
            buffer |= code << count; // LSB first
            count += 9;
            while (count >= 8)
            {
                bits.Add((byte)buffer);
                buffer >>= 8;
                count -= 8;
            }
        }

        for (int i = 0; i < grey.Length; i++)
        {
            if (i % LiteralsPerClear == 0) Emit(ClearCode);
            Emit(grey[i]);
        }
        Emit(EndCode);
        if (count > 0) bits.Add((byte)buffer);
        return [.. bits];
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        stream.Write(bytes);
    }
}
