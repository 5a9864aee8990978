using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LipService.Api.Inference;

/// <summary>
/// Writes an Open Inference Protocol inference response: every asked-for output as a JSON
/// <c>data</c> array, or — for those asked for as binary — in a binary section after the JSON,
/// raw little-endian values in output order, the JSON's length in <c>Inference-Header-Content-Length</c>.
/// </summary>
public static class InferenceResponseWriter
{
    public static async Task WriteAsync(HttpResponse response, InferenceResult result, CancellationToken cancellationToken)
    {
        var json = new ArrayBufferWriter<byte>(4096);
        var binary = new List<ReadOnlyMemory<byte>>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", result.ModelName);
            writer.WriteString("model_version", result.ModelVersion);
            if (result.Id is not null) writer.WriteString("id", result.Id);
            writer.WriteStartArray("outputs");
            foreach (var output in result.Outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", output.Name);
                switch (output.Name)
                {
                    case InferenceTensors.Scores:
                        Tensor(writer, output, InferenceTensors.Fp32, [result.Count, result.ScoresPerImage], result.Scores, binary, (w, v) => w.WriteNumberValue(v));
                        break;
                    case InferenceTensors.Label:
                        Tensor(writer, output, InferenceTensors.Int64, [result.Count], result.Labels, binary, (w, v) => w.WriteNumberValue(v));
                        break;
                    case InferenceTensors.ClassName:
                        Strings(writer, output, result.ClassNames, binary);
                        break;
                    default:
                        Tensor(writer, output, InferenceTensors.Fp64, [result.Count], result.Radii, binary, (w, v) => w.WriteNumberValue(v));
                        break;
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (binary.Count == 0)
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(json.WrittenMemory, cancellationToken);
            return;
        }
        response.ContentType = "application/octet-stream";
        response.Headers[InferenceTensors.HeaderLengthHeader] = json.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentLength = json.WrittenCount + binary.Sum(b => (long)b.Length);
        await response.Body.WriteAsync(json.WrittenMemory, cancellationToken);
        foreach (var part in binary) await response.Body.WriteAsync(part, cancellationToken);
    }

    private static void Tensor<T>(Utf8JsonWriter writer, RequestedOutput output, string datatype, long[] shape, T[] values, List<ReadOnlyMemory<byte>> binary, Action<Utf8JsonWriter, T> write)
        where T : unmanaged
    {
        Header(writer, datatype, shape);
        if (output.Binary)
        {
            // The protocol's binary tensors are little-endian, as this machine is.
            Binary(writer, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), binary);
            return;
        }
        writer.WriteStartArray("data");
        foreach (var value in values) write(writer, value);
        writer.WriteEndArray();
    }

    /// <summary>A BYTES output [N]: JSON strings, or in the binary section each length-prefixed.</summary>
    private static void Strings(Utf8JsonWriter writer, RequestedOutput output, string[] values, List<ReadOnlyMemory<byte>> binary)
    {
        Header(writer, InferenceTensors.Bytes, [values.Length]);
        if (output.Binary)
        {
            Binary(writer, BytesTensor.Raw(values), binary);
            return;
        }
        writer.WriteStartArray("data");
        foreach (string value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static void Header(Utf8JsonWriter writer, string datatype, long[] shape)
    {
        writer.WriteString("datatype", datatype);
        writer.WriteStartArray("shape");
        foreach (long d in shape) writer.WriteNumberValue(d);
        writer.WriteEndArray();
    }

    private static void Binary(Utf8JsonWriter writer, byte[] bytes, List<ReadOnlyMemory<byte>> binary)
    {
        writer.WriteStartObject("parameters");
        writer.WriteNumber("binary_data_size", bytes.Length);
        writer.WriteEndObject();
        binary.Add(bytes);
    }
}
