using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using static TorchSharp.torch;

namespace LipService.Models.Export;

/// <summary>
/// Writes float32 tensors in Hugging Face's safetensors format: an 8-byte little-endian header
/// length, a JSON header (dtype, shape and data offsets per tensor, plus a string-only
/// "__metadata__" map), then the raw little-endian bytes.
/// </summary>
/// <remarks>
/// Written here rather than with TorchSharp.PyBridge's writer, which carries no "__metadata__"
/// (where the spec and the bound travel) and does not pad the header.
/// </remarks>
public static class SafetensorsWriter
{
    public static byte[] Write(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        // The format is little-endian; copying the host's float bytes is only right on such a host.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors export needs a little-endian host.");
        using var scope = NewDisposeScope();
        // Ordinal name order, as the reference writer orders tensors of one dtype: the same weights always give the same bytes.
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, Values: Float32Values(t.Key, t.Value), Shape: t.Value.shape))
            .ToList();
        byte[] header = Header(ordered, metadata);
        long dataBytes = ordered.Sum(t => (long)t.Values.Length * sizeof(float));
        var file = new byte[checked(8 + header.Length + dataBytes)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        int offset = 8 + header.Length;
        foreach (var (_, values, _) in ordered)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(file.AsSpan(offset));
            offset += values.Length * sizeof(float);
        }
        return file;
    }

    private static float[] Float32Values(string name, Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32)
            throw new ArgumentException($"Tensor '{name}' is {tensor.dtype}; the safetensors export writes float32 only.", nameof(name));
        return tensor.detach().cpu().contiguous().data<float>().ToArray();
    }

    private static byte[] Header(List<(string Name, float[] Values, long[] Shape)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            long begin = 0;
            foreach (var (name, values, shape) in tensors)
            {
                long end = begin + (long)values.Length * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long dim in shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                begin = end;
            }
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) json.WriteString(key, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        // Spaces up to a multiple of 8 start the data 8-byte aligned, so readers can map floats in place.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
