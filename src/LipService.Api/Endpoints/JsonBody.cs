using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace LipService.Api.Endpoints;

/// <summary>
/// Reads a JSON body ourselves rather than through parameter binding, so malformed JSON, wrong
/// types and unknown fields become a 400 ValidationProblem naming the field.
/// </summary>
/// <remarks>
/// The body is read whole into a pooled buffer and deserialized in one synchronous pass. Deserializing
/// from the stream instead makes System.Text.Json buffer a custom converter's whole value (the pixel
/// arrays) and re-scan it from its start each time another chunk arrives: for a 643 KB body of 256
/// digits that scanning cost more than the numbers' parsing. Kestrel's request size limit still
/// applies while the body is read (413 beyond it).
/// </remarks>
internal static class JsonBody
{
    /// <summary>A one-digit body is ~4 KB and a 256-digit one ~640 KB: this holds the common ones at once.</summary>
    private const int InitialBuffer = 64 * 1024;

    /// <summary>Reads the buffered body itself, or answers false to leave it to System.Text.Json.</summary>
    public delegate bool FastReader<T>(ReadOnlySpan<byte> body, JsonSerializerOptions options, out T? value);

    public static async Task<(T? Value, Dictionary<string, string[]>? Errors)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken, FastReader<T>? fast = null)
    {
        if (!request.HasJsonContentType())
            return (default, new() { ["body"] = ["Send a JSON body with Content-Type: application/json."] });
        try
        {
            var (buffer, length) = await ReadAllAsync(request.BodyReader, request.ContentLength, cancellationToken);
            T? value;
            try
            {
                if (fast is null || !fast(buffer.AsSpan(0, length), options, out value))
                    value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), options);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return value is null ? (default, new() { ["body"] = ["The body must be a JSON object, not null."] }) : (value, null);
        }
        catch (Imaging.PixelFormatException e)
        {
            return (default, new() { [e.Field] = [e.Message] });
        }
        catch (JsonException e)
        {
            string field = FieldName(e.Path);
            // System.Text.Json's own wording names .NET types; say it in the API's terms.
            string message = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"Unknown field '{field}'."
                : e.Message.Contains("could not be converted", StringComparison.Ordinal) ? $"Invalid value for '{field}': expected {Expected(e.Message)}."
                : $"The body is not valid JSON at '{field}': {e.Message.Split(" Path:", 2)[0]}";
            return (default, new() { [field] = [message] });
        }
    }

    /// <summary>The whole body in a pooled array (the caller returns it) and its length.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadAllAsync(PipeReader reader, long? contentLength, CancellationToken cancellationToken)
    {
        // Content-Length is the client's claim and Kestrel checks it against the limit only at the first
        // read: the buffer starts at most InitialBuffer and grows with the bytes that actually arrive.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(contentLength ?? InitialBuffer, 1, InitialBuffer));
        int length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
                {
                    if (length + segment.Length > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(2L * buffer.Length, length + segment.Length), Array.MaxLength));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    segment.Span.CopyTo(buffer.AsSpan(length));
                    length += segment.Length;
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) return (buffer, length);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>What the converter wanted, from System.Text.Json's message ("… could not be converted to System.Int32 …").</summary>
    private static string Expected(string message)
    {
        if (message.Contains("System.Int32", StringComparison.Ordinal)) return "a whole number";
        if (message.Contains("System.Double", StringComparison.Ordinal) || message.Contains("System.Single", StringComparison.Ordinal)) return "a number";
        if (message.Contains("System.String", StringComparison.Ordinal)) return "a string";
        if (message.Contains("[]", StringComparison.Ordinal)) return "an array";
        return "a value of the documented type";

    }

    /// <summary>"$.hidden[1]" → "hidden[1]"; the root → "body".</summary>
    private static string FieldName(string? path)
        => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
