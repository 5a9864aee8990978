using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using LipService.Api.Contracts;

namespace LipService.Api.Inference;

/// <summary>
/// Reads an Open Inference Protocol inference request: a JSON body, or with the binary tensor data
/// extension a JSON header of <c>Inference-Header-Content-Length</c> bytes followed by the raw
/// little-endian tensors of the inputs that declare a <c>binary_data_size</c>, in input order.
/// </summary>
/// <remarks>
/// The one input is <c>input</c>, FP32, [N, 784] or [N, 1, 28, 28]; its data may be flat or nested
/// (the protocol allows both), and every value must be a finite number in [0, 1], as for /predict.
/// Every problem is an <see cref="InferenceError"/> naming what to fix.
/// </remarks>
public static class InferenceRequestReader
{
    public static async Task<InferenceRequest> ReadAsync(HttpRequest request, int maxImages, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        int headerLength = HeaderLength(request, body.Length);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.AsMemory(0, headerLength));
        }
        catch (JsonException e)
        {
            throw InferenceError.BadRequest($"The request is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw InferenceError.BadRequest("The request must be a JSON object with an \"inputs\" array.");
            string? id = OptionalString(root, "id");
            bool binaryByDefault = Flag(root, "binary_data_output");
            var (pixels, count, binaryBytes) = ReadInput(root, body.AsSpan(headerLength), maxImages);
            if (binaryBytes != body.Length - headerLength)
                throw InferenceError.BadRequest($"The binary section holds {body.Length - headerLength} bytes but the inputs declare {binaryBytes} (binary_data_size).");
            return new InferenceRequest(id, pixels, count, ReadOutputs(root, binaryByDefault));
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Kestrel enforces the endpoint's body size limit while this reads (413 beyond it).
        using var buffer = request.ContentLength is { } length and <= int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static int HeaderLength(HttpRequest request, int bodyLength)
    {
        string? text = request.Headers[InferenceTensors.HeaderLengthHeader];
        if (text is null) return bodyLength;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > bodyLength)
            throw InferenceError.BadRequest($"{InferenceTensors.HeaderLengthHeader} must be the byte length of the JSON part, at most the body's {bodyLength} bytes (got '{text}').");
        return length;
    }

    private static (float[] Pixels, int Count, long BinaryBytes) ReadInput(JsonElement root, ReadOnlySpan<byte> binary, int maxImages)
    {
        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() != 1)
            throw InferenceError.BadRequest($"\"inputs\" must hold exactly one tensor, \"{InferenceTensors.Input}\".");
        var input = inputs[0];
        if (input.ValueKind != JsonValueKind.Object) throw InferenceError.BadRequest("Each input is a JSON object.");
        int count = InferenceModels.ImageCount(OptionalString(input, "name"), OptionalString(input, "datatype"), Shape(input), maxImages);
        var pixels = new float[count * PixelBatch.PixelsPerImage];

        long binaryBytes = 0;
        if (input.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out var size))
        {
            if (!size.TryGetInt64(out binaryBytes) || binaryBytes != pixels.Length * sizeof(float) || binaryBytes > binary.Length)
                throw InferenceError.BadRequest($"binary_data_size must be {pixels.Length * sizeof(float)} (N·784 FP32 values) and within the body (got {size}).");
            // The protocol's binary tensors are little-endian, as this machine is.
            MemoryMarshal.Cast<byte, float>(binary[..(int)binaryBytes]).CopyTo(pixels);
        }
        else if (input.TryGetProperty("data", out var data))
        {
            int filled = 0;
            Flatten(data, pixels, ref filled);
            if (filled != pixels.Length) throw InferenceError.BadRequest($"The input's shape needs {pixels.Length} values; \"data\" has {filled}.");
        }
        else
        {
            throw InferenceError.BadRequest("The input needs \"data\", or parameters.binary_data_size with the binary tensor data extension.");
        }

        InferenceModels.CheckPixels(pixels);
        return (pixels, count, binaryBytes);
    }

    private static List<long> Shape(JsonElement input)
    {
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
            throw InferenceError.BadRequest("The input needs a \"shape\": [N, 784] or [N, 1, 28, 28].");
        var dims = new List<long>();
        foreach (var d in shape.EnumerateArray())
        {
            if (!d.TryGetInt64(out long value)) throw InferenceError.BadRequest($"Shape dimensions are integers (got {d}).");
            dims.Add(value);
        }
        return dims;
    }

    /// <summary>Copies the numbers of a flat or nested JSON array in row-major order.</summary>
    private static void Flatten(JsonElement data, float[] target, ref int filled)
    {
        if (data.ValueKind != JsonValueKind.Array) throw InferenceError.BadRequest("\"data\" must be an array of numbers (flat or nested).");
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(item, target, ref filled);
                continue;
            }
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double value))
                throw InferenceError.BadRequest($"\"data\" holds numbers only (found {item.ValueKind}).");
            if (filled == target.Length) throw InferenceError.BadRequest($"\"data\" has more values than the shape's {target.Length}.");
            target[filled++] = (float)value;
        }
    }

    private static List<RequestedOutput> ReadOutputs(JsonElement root, bool binaryByDefault)
    {
        if (!root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind == JsonValueKind.Null)
            return InferenceModels.AllOutputs(binaryByDefault);
        if (outputs.ValueKind != JsonValueKind.Array) throw InferenceError.BadRequest("\"outputs\" must be an array of {\"name\": …}.");
        var result = new List<RequestedOutput>();
        foreach (var output in outputs.EnumerateArray())
        {
            string? name = output.ValueKind == JsonValueKind.Object ? OptionalString(output, "name") : null;
            bool binary = output.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("binary_data", out var flag) ? flag.ValueKind == JsonValueKind.True : binaryByDefault;
            InferenceModels.AddOutput(result, name, binary);
        }
        return result;
    }

    private static bool Flag(JsonElement root, string parameter) =>
        root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
        && parameters.TryGetProperty(parameter, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
