using System.Buffers.Binary;
using System.Text;

namespace LipService.Api.Inference;

/// <summary>
/// A BYTES tensor in the protocol's raw form (the binary tensor data extension's and gRPC's
/// <c>raw_output_contents</c>): each element a 4-byte little-endian length, then its bytes, UTF-8 here.
/// </summary>
public static class BytesTensor
{
    public static byte[] Raw(IReadOnlyList<string> values)
    {
        int length = 0;
        foreach (string value in values) length += sizeof(uint) + Encoding.UTF8.GetByteCount(value);
        var raw = new byte[length];
        int at = 0;
        foreach (string value in values)
        {
            int written = Encoding.UTF8.GetBytes(value, raw.AsSpan(at + sizeof(uint)));
            BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(at), (uint)written);
            at += sizeof(uint) + written;
        }
        return raw;
    }
}
