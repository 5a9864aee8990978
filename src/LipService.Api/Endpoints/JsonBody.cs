using System.Text.Json;

namespace LipService.Api.Endpoints;

/// <summary>
/// Reads a JSON body ourselves rather than through parameter binding, so malformed JSON, wrong
/// types and unknown fields become a 400 ValidationProblem naming the field.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, Dictionary<string, string[]>? Errors)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (default, new() { ["body"] = ["Send a JSON body with Content-Type: application/json."] });
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return value is null ? (default, new() { ["body"] = ["The body must be a JSON object, not null."] }) : (value, null);
        }
        catch (Contracts.PixelFormatException e)
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
