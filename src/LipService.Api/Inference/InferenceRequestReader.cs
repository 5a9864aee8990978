using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using LipService.Api.Endpoints;
using Microsoft.AspNetCore.Http.Features;

namespace LipService.Api.Inference;

/// <summary>
/// Reads an Open Inference Protocol inference request: a JSON body, or with the binary tensor data
/// extension a JSON header of <c>Inference-Header-Content-Length</c> bytes followed by the raw
/// little-endian tensors of the inputs that declare a <c>binary_data_size</c>, in input order.
/// </summary>
/// <remarks>
/// The one input is <c>input</c>, FP32, [N, C·H·W] or [N, C, H, W] of the model's images ([N, 784] or
/// [N, 1, 28, 28] for MNIST); its data may be flat or nested (the protocol allows both), and every
/// value must be a finite number in [0, 1], as for /predict. The JSON is read first
/// (<see cref="ReadJsonAsync"/>), the pixels once the model, and so their number, is known
/// (<see cref="InferenceRequest.ReadPixelsAsync(Serving.LoadedModel, CancellationToken)"/>).
/// Every problem is an <see cref="InferenceError"/> naming what to fix.
/// </remarks>
public static class InferenceRequestReader
{
    /// <summary>The JSON buffer's first size: a one-image JSON request fits; larger ones grow it as their bytes arrive.</summary>
    private const int InitialJsonBuffer = 64 * 1024;

    /// <summary>[N, C·H·W] or [N, C, H, W]: a longer shape is refused without reading on.</summary>
    private const int MostDimensions = 4;

    /// <summary>
    /// Reads and checks the request's JSON part (the whole body, or the header before the binary
    /// section): all of it that does not depend on the model, so that N is known to charge for
    /// before the model is looked up.
    /// </summary>
    public static async Task<InferenceRequest> ReadJsonAsync(HttpRequest request, int maxImages, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        long? limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength > limit)
            throw new InferenceError(StatusCodes.Status413PayloadTooLarge, $"The body declares {request.ContentLength} bytes (Content-Length); this endpoint takes at most {limit} (Serving:MaxRequestBytes).");
        int? headerLength = HeaderLength(request, limit);
        // Without the extension the whole body is the JSON; with it only the header is, and the
        // tensor bytes after it go straight from the connection into the pixel array (no copy of the body).
        var (json, jsonLength) = await ReadJsonPartAsync(reader, headerLength, request.ContentLength, cancellationToken);
        JsonDocument? document = null;
        try
        {
            document = Parse(json.AsMemory(0, jsonLength));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw InferenceError.BadRequest("The request must be a JSON object with an \"inputs\" array.");
            string? id = OptionalString(root, "id", "The request's \"id\"");
            bool binaryByDefault = Flag(Parameters(root, "The request's"), "binary_data_output") ?? false;
            var input = ReadInput(root, maxImages, limit);
            var outputs = ReadOutputs(root, binaryByDefault);
            return new InferenceRequest(json, document, id, outputs, input, headerLength is null ? null : reader);
        }
        catch
        {
            document?.Dispose();
            ArrayPool<byte>.Shared.Return(json);
            throw;
        }
    }

    /// <summary>
    /// The input's pixels, <paramref name="pixelsPerImage"/> (the model's C·H·W, the shape checked
    /// against it) per image: filled from "data" or from the binary section.
    /// </summary>
    internal static async Task<PooledPixels> ReadPixelsAsync(InferenceRequest request, int pixelsPerImage, CancellationToken cancellationToken)
    {
        var input = request.Input;
        // Sized only after the bytes that hold the values are known to fit an array: the binary
        // section's claim is at most one (ReadInput), and "data" must be long enough (FromData).
        long values = (long)input.Count * pixelsPerImage;
        long declared = input.BinaryBytes ?? 0;
        if (input.BinaryBytes is { } binaryBytes && binaryBytes != values * sizeof(float))
            throw InferenceError.BadRequest($"binary_data_size must be the number {values * sizeof(float)} (N·{pixelsPerImage} FP32 values; got {binaryBytes}).");
        var pixels = input.BinaryBytes is null ? FromData(input.Element, input.Count, values, pixelsPerImage) : new PooledPixels(input.Count, pixelsPerImage);
        try
        {
            long received = request.BinarySection is { } section ? await ReadBinaryAsync(section, pixels.Array, declared, cancellationToken) : 0;
            if (received != declared)
                throw InferenceError.BadRequest($"The binary section holds {received} bytes but the inputs declare {declared} (binary_data_size).");
            InferenceModels.CheckPixels(pixels.Span);
            return pixels;
        }
        catch
        {
            pixels.Dispose();
            throw;
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw InferenceError.BadRequest($"The request is not valid JSON: {e.Message}");
        }
    }

    private static int? HeaderLength(HttpRequest request, long? limit)
    {
        string? text = request.Headers[InferenceTensors.HeaderLengthHeader];
        if (text is null) return null;
        long? bodyLength = request.ContentLength;
        string most = bodyLength is null ? "" : $", at most the body's {bodyLength} bytes";
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length > bodyLength)
            throw InferenceError.BadRequest($"{InferenceTensors.HeaderLengthHeader} must be the byte length of the JSON part{most} (got '{ClientText.Short(text)}').");
        // A chunked body declares no length, so the header's claim is checked against the limit here,
        // before anything is sized from it.
        if (length > (limit ?? int.MaxValue) || length > Array.MaxLength)
            throw new InferenceError(StatusCodes.Status413PayloadTooLarge, $"{InferenceTensors.HeaderLengthHeader} is {length} bytes; this endpoint takes bodies of at most {limit ?? Array.MaxLength} (Serving:MaxRequestBytes).");
        return (int)length;
    }

    /// <summary>The JSON part (the header, or the whole body) in a pooled array; the caller returns it.</summary>
    private static async Task<(byte[] Json, int Length)> ReadJsonPartAsync(PipeReader reader, int? headerLength, long? contentLength, CancellationToken cancellationToken)
    {
        // Kestrel enforces the endpoint's body size limit while this reads (413 beyond it). The lengths
        // are the client's claims: the buffer starts small and grows with the bytes that actually arrive.
        long declared = headerLength ?? contentLength ?? InitialJsonBuffer;
        var json = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(declared, 1, InitialJsonBuffer));
        int filled = 0;
        try
        {
            while (headerLength is null || filled < headerLength)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                long wanted = headerLength is { } h ? Math.Min(buffer.Length, h - filled) : buffer.Length;
                if (filled + wanted > json.Length) json = Grow(json, filled, filled + wanted);
                buffer.Slice(0, wanted).CopyTo(json.AsSpan(filled));
                filled += (int)wanted;
                reader.AdvanceTo(buffer.GetPosition(wanted));
                if (result.IsCompleted && (headerLength is null || filled < headerLength)) break;
            }
            if (filled < headerLength)
                throw InferenceError.BadRequest($"The body ended after {filled} bytes, inside the {headerLength}-byte JSON header ({InferenceTensors.HeaderLengthHeader}).");
            return (json, filled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(json);
            throw;
        }
    }

    private static byte[] Grow(byte[] json, int filled, long needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, 2L * json.Length), int.MaxValue));
        json.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(json);
        return larger;
    }

    /// <summary>
    /// Copies the binary section into <paramref name="pixels"/> (the protocol's binary tensors are
    /// little-endian, as this machine is) and reads on to the body's end.
    /// </summary>
    /// <returns>The section's length in bytes, <paramref name="pixels"/>' part of it or not.</returns>
    private static async Task<long> ReadBinaryAsync(PipeReader reader, float[] pixels, long declared, CancellationToken cancellationToken)
    {
        long received = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (received < declared) CopyInto(buffer.Slice(0, Math.Min(buffer.Length, declared - received)), pixels, received);
            received += buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted) return received;
        }
    }

    private static void CopyInto(ReadOnlySequence<byte> source, float[] pixels, long offset) =>
        source.CopyTo(MemoryMarshal.AsBytes(pixels.AsSpan())[(int)offset..]);

    /// <summary>The one input, checked as far as it can be without the model.</summary>
    /// <param name="limit">The endpoint's body size limit: a binary section declared beyond it is never sized.</param>
    private static InferenceInput ReadInput(JsonElement root, int maxImages, long? limit)
    {
        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() != 1)
            throw InferenceError.BadRequest($"\"inputs\" must hold exactly one tensor, \"{InferenceTensors.Input}\".");
        var input = inputs[0];
        if (input.ValueKind != JsonValueKind.Object) throw InferenceError.BadRequest("Each input is a JSON object.");
        var shape = Shape(input, out string? name, out string? datatype);
        int count = InferenceModels.ImageCount(name, datatype, shape, maxImages);

        if (Parameters(input, "The input's") is { } parameters && parameters.TryGetProperty("binary_data_size", out var size))
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out long binaryBytes) || binaryBytes < 0)
                throw InferenceError.BadRequest($"binary_data_size must be the number of the input's bytes, N·C·H·W·4 (got {ClientText.Short(size.GetRawText())}).");
            // The pixel array is sized from this claim, so a claim no body here can hold is refused first.
            if (binaryBytes > Math.Min(limit ?? Array.MaxLength, Array.MaxLength))
                throw new InferenceError(StatusCodes.Status413PayloadTooLarge, $"binary_data_size is {binaryBytes} bytes; this endpoint takes bodies of at most {Math.Min(limit ?? Array.MaxLength, Array.MaxLength)} (Serving:MaxRequestBytes).");
            return new InferenceInput(input, shape, count, binaryBytes);
        }
        if (!input.TryGetProperty("data", out _))
            throw InferenceError.BadRequest("The input needs \"data\", or parameters.binary_data_size with the binary tensor data extension.");
        return new InferenceInput(input, shape, count, null);
    }

    /// <summary>The pixels of "data", which must hold exactly <paramref name="values"/> numbers.</summary>
    private static PooledPixels FromData(JsonElement input, int count, long values, int pixelsPerImage)
    {
        var data = input.GetProperty("data");
        // The pixel array is sized from the shape, a claim: data whose bytes cannot hold that many
        // numbers (each takes a digit and a comma or bracket) is refused before it is sized.
        int most = (JsonMarshal.GetRawUtf8Value(data).Length - 1) / 2;
        if (most < values) throw InferenceError.BadRequest($"The input's shape needs {values} values; \"data\" has {CountValues(data, most)}.");
        var pixels = new PooledPixels(count, pixelsPerImage);
        try
        {
            int filled = 0;
            Flatten(data, pixels.Span, ref filled);
            if (filled != values) throw InferenceError.BadRequest($"The input's shape needs {values} values; \"data\" has {filled}.");
            return pixels;
        }
        catch
        {
            pixels.Dispose();
            throw;
        }
    }

    /// <summary>How many numbers "data" holds, at most <paramref name="most"/>, refusing what <see cref="Flatten"/> refuses.</summary>
    private static int CountValues(JsonElement data, int most)
    {
        var scratch = ArrayPool<float>.Shared.Rent(Math.Max(most, 0));
        try
        {
            int filled = 0;
            Flatten(data, scratch.AsSpan(0, Math.Max(most, 0)), ref filled);
            return filled;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The input's shape, after its name and datatype, which are read first so that their problems are named first.</summary>
    private static List<long> Shape(JsonElement input, out string? name, out string? datatype)
    {
        name = OptionalString(input, "name", "The input's \"name\"");
        datatype = OptionalString(input, "datatype", "The input's \"datatype\"");
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
            throw InferenceError.BadRequest($"The input needs a \"shape\": {InferenceModels.AnyShape}.");
        var dims = new List<long>(MostDimensions);
        foreach (var d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long value))
                throw InferenceError.BadRequest($"The input's shape holds whole numbers: {InferenceModels.AnyShape} (got {ClientText.Short(d.GetRawText())}).");
            if (dims.Count == MostDimensions) throw InferenceError.BadRequest($"The input's shape must be {InferenceModels.AnyShape} (got more than 4 dimensions).");
            dims.Add(value);
        }
        return dims;
    }

    /// <summary>Copies the numbers of a flat or nested JSON array in row-major order.</summary>
    private static void Flatten(JsonElement data, Span<float> target, ref int filled)
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
            if (output.ValueKind != JsonValueKind.Object)
                throw InferenceError.BadRequest($"Each of \"outputs\" is an object such as {{\"name\": \"label\"}} (got {ClientText.Short(output.GetRawText())}).");
            string? name = OptionalString(output, "name", "An output's \"name\"");
            bool binary = Flag(Parameters(output, "An output's"), "binary_data") ?? binaryByDefault;
            InferenceModels.AddOutput(result, name, binary);
        }
        return result;
    }

    /// <summary>The element's "parameters" object; null when it has none.</summary>
    private static JsonElement? Parameters(JsonElement element, string whose)
    {
        if (!element.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null) return null;
        if (parameters.ValueKind != JsonValueKind.Object)
            throw InferenceError.BadRequest($"{whose} \"parameters\" must be an object (got {ClientText.Short(parameters.GetRawText())}).");
        return parameters;
    }

    /// <summary>A boolean parameter; null when it is not given.</summary>
    private static bool? Flag(JsonElement? parameters, string parameter)
    {
        if (parameters is not { } found || !found.TryGetProperty(parameter, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw InferenceError.BadRequest($"The parameter \"{parameter}\" must be true or false (got {ClientText.Short(value.GetRawText())})."),
        };
    }

    private static string? OptionalString(JsonElement element, string property, string what)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw InferenceError.BadRequest($"{what} must be a string (got {ClientText.Short(value.GetRawText())}).");
        return value.GetString();
    }
}
