using System.Text.Json;
using LipService.Api.Contracts;

namespace LipService.Api.Imaging;

/// <summary>
/// Reads the <c>images</c> array of a buffered /predict body straight from its bytes into a
/// <see cref="PixelBatch"/>, without System.Text.Json's tokenizer: a strict scan of the JSON number
/// grammar, then csFastFloat for each value. Whatever it does not expect (a string, a nested
/// array, malformed JSON) it leaves to <see cref="PixelBatchConverter"/>, whose errors name the
/// element: this class only ever makes a valid body faster.
/// </summary>
/// <remarks>
/// Measured on a 1.65 MB body of 256 digits written with 17-digit floats: System.Text.Json's
/// tokenizer took ~38 % of the server's CPU and the converter another ~29 %.
/// </remarks>
public static class PixelArrayScanner
{
    /// <summary>A /predict body with its <c>images</c> read by the scan; false leaves the body to System.Text.Json.</summary>
    public static bool TryReadPredictRequest(ReadOnlySpan<byte> body, JsonSerializerOptions options, out PredictRequest? value)
    {
        value = null;
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool images = reader.ValueTextEquals("images"u8)
                || (options.PropertyNameCaseInsensitive && string.Equals(reader.GetString(), "images", StringComparison.OrdinalIgnoreCase));
            if (!reader.Read()) return false;
            if (!images)
            {
                if (!reader.TrySkip()) return false;
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray) return false;
            int start = (int)reader.TokenStartIndex;
            if (!TryScan(body, start, out var batch, out int end)) return false;

            // The rest of the body, with the array replaced by null, goes through System.Text.Json:
            // other fields keep their validation and their error messages.
            byte[] rest = [.. body[..start], .. "null"u8, .. body[end..]];
            var others = JsonSerializer.Deserialize<PredictRequest>(rest, options);
            if (others is null || others.Images is not null) return false; // "images" given twice: leave it to the converter
            value = others with { Images = batch };
            return true;
        }
        return false;
    }

    /// <summary>Scans <c>[[numbers], …]</c> from the '[' at <paramref name="start"/>; <paramref name="end"/> is just past its ']'.</summary>
    internal static bool TryScan(ReadOnlySpan<byte> json, int start, out PixelBatch batch, out int end)
    {
        batch = new PixelBatch();
        end = 0;
        int i = SkipWhiteSpace(json, start + 1);
        if (i < json.Length && json[i] == ']')
        {
            end = i + 1;
            return true;
        }
        for (int index = 0; ; index++)
        {
            if (i >= json.Length || json[i] != '[') return false;
            var image = PixelBatch.NewImage();
            int length = 0;
            i = SkipWhiteSpace(json, i + 1);
            if (i < json.Length && json[i] == ']')
            {
                i++;
            }
            else
            {
                while (true)
                {
                    int number = i;
                    if (!ScanNumber(json, ref i)) return false;
                    if (!csFastFloat.FastFloatParser.TryParseFloat(json[number..i], out float value) || !float.IsFinite(value)) return false;
                    image = PixelBatch.Put(image, length, value);
                    length++;
                    var next = AfterElement(json, ref i);
                    if (next == Separator.Invalid) return false;
                    if (next == Separator.End) break;
                }
            }
            batch.EndImage(image, length);
            var after = AfterElement(json, ref i);
            if (after == Separator.Invalid) return false;
            if (after == Separator.End)
            {
                end = i;
                return true;
            }
        }
    }

    private enum Separator { Next, End, Invalid }

    /// <summary>After an array element: a ',' (then <paramref name="i"/> is at the next element) or the closing ']' (then just past it).</summary>
    private static Separator AfterElement(ReadOnlySpan<byte> json, ref int i)
    {
        i = SkipWhiteSpace(json, i);
        if (i >= json.Length) return Separator.Invalid;
        if (json[i] == ',')
        {
            i = SkipWhiteSpace(json, i + 1);
            return Separator.Next;
        }
        if (json[i] != ']') return Separator.Invalid;
        i++;
        return Separator.End;
    }

    /// <summary>Moves past one number of JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool ScanNumber(ReadOnlySpan<byte> json, ref int i)
    {
        if (i < json.Length && json[i] == '-') i++;
        if (i >= json.Length) return false;
        if (json[i] == '0') i++;
        else if (IsDigit(json[i])) SkipDigits(json, ref i);
        else return false;
        if (i < json.Length && json[i] == '.')
        {
            i++;
            if (i >= json.Length || !IsDigit(json[i])) return false;
            SkipDigits(json, ref i);
        }
        if (i < json.Length && (json[i] == 'e' || json[i] == 'E'))
        {
            i++;
            if (i < json.Length && (json[i] == '+' || json[i] == '-')) i++;
            if (i >= json.Length || !IsDigit(json[i])) return false;
            SkipDigits(json, ref i);
        }
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static void SkipDigits(ReadOnlySpan<byte> json, ref int i)
    {
        while (i < json.Length && IsDigit(json[i])) i++;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') i++;
        return i;
    }
}
