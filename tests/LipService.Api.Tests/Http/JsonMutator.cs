using System.Text;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Seeded mutations of a valid JSON request: values swapped for other kinds and for numbers that
/// are huge, negative, fractional or not numbers at all; members removed, duplicated or added; arrays
/// nested raggedly; and the text itself truncated or corrupted. Each mutation says what it did.
/// </summary>
internal sealed class JsonMutator(Random random)
{
    private const string Slot = "@@mutated@@";

    /// <summary>Raw JSON (and a few almost-JSON) texts put where a value was.</summary>
    private static readonly string[] Oddities =
    [
        "\"1\"", "\"3136\"", "\"\"", "\"NaN\"", "\"Infinity\"", "\"-1\"", "\"input\"", "\"label\"", "\"FP32\"",
        "null", "true", "false", "{}", "[]", "[[]]", "[1, [2]]", "[\"label\"]", "[{\"name\": \"label\"}]", "{\"name\": 1}",
        "0", "-1", "1", "2", "1.5", "-0.0", "0.5", "1e308", "1e309", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483647", "2147483648", "4294967296",
        "784", "1024", "1025", "3136", "12544", "3211264", "00", "0x10", "+1",
        "[" + string.Join(",", Enumerable.Repeat("0", 784)) + "]",
        "[" + string.Join(",", Enumerable.Repeat("1e39", 784)) + "]",
        new string('[', 200) + new string(']', 200),
        "\"" + new string('a', 5000) + "\"",
    ];

    public string Oddity() => Oddities[random.Next(Oddities.Length)];

    /// <summary>One to three mutations of <paramref name="valid"/> (not changed); returns the text and what was done.</summary>
    public (string Text, string What) Mutate(JsonNode valid)
    {
        var tree = valid.DeepClone();
        var done = new List<string>();
        string? text = null;
        int count = 1 + random.Next(3);
        for (int i = 0; i < count && text is null; i++)
        {
            var paths = Paths(tree).ToList();
            if (paths.Count == 0) break;
            var (path, node) = paths[random.Next(paths.Count)];
            switch (random.Next(9))
            {
                case 0 or 1:
                {
                    string odd = Oddity();
                    text = Replace(tree, node, odd);
                    done.Add($"{path} = {Brief(odd)}");
                    break;
                }
                case 2 when node.Parent is JsonObject parent:
                    parent.Remove(node.GetPropertyName());
                    done.Add($"remove {path}");
                    break;
                case 3 when node.Parent is JsonObject:
                {
                    string odd = random.Next(2) == 0 ? node.ToJsonString() : Oddity();
                    string key = node.GetPropertyName();
                    string original = node.ToJsonString();
                    text = Replace(tree, node, original).Replace($"\"{key}\":{original}", $"\"{key}\":{original},\"{key}\":{odd}");
                    done.Add($"duplicate {path} as {Brief(odd)}");
                    break;
                }
                case 4:
                    Swap(node, new JsonArray(node.DeepClone()));
                    done.Add($"wrap {path} in []");
                    break;
                case 5 when node is JsonArray { Count: > 1 } array:
                {
                    // Ragged: the tail moves into a nested array of its own.
                    int at = random.Next(1, array.Count);
                    var tail = new JsonArray();
                    while (array.Count > at)
                    {
                        var item = array[at];
                        array.RemoveAt(at);
                        tail.Add(item);
                    }
                    array.Add(tail);
                    done.Add($"ragged {path} at {at}");
                    break;
                }
                case 6 when node is JsonObject obj:
                {
                    string odd = Oddity();
                    text = Replace(tree, obj, obj.ToJsonString().TrimEnd('}') + (obj.Count > 0 ? "," : "") + $"\"extra\":{odd}}}");
                    done.Add($"{path}.extra = {Brief(odd)}");
                    break;
                }
                case 7:
                {
                    string whole = tree.ToJsonString();
                    int at = random.Next(whole.Length);
                    text = whole[..at];
                    done.Add($"truncate at {at} of {whole.Length}");
                    break;
                }
                case 8:
                {
                    var whole = new StringBuilder(tree.ToJsonString());
                    int at = random.Next(whole.Length);
                    char c = "{}[],:\"\\0-.eE \u0000\u00ff\ud800"[random.Next(16)];
                    whole.Insert(at, c);
                    text = whole.ToString();
                    done.Add($"insert U+{(int)c:X4} at {at}");
                    break;
                }
                default:
                    i--;
                    break;
            }
        }
        return (text ?? tree.ToJsonString(), string.Join("; ", done));
    }

    /// <summary>Every node with its path; a long array contributes itself and its first three items only.</summary>
    private static IEnumerable<(string Path, JsonNode Node)> Paths(JsonNode node, string path = "$")
    {
        if (path != "$") yield return (path, node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                    if (value is not null) foreach (var p in Paths(value, $"{path}.{key}")) yield return p;
                break;
            case JsonArray array:
                for (int i = 0; i < Math.Min(array.Count, 3); i++)
                    if (array[i] is { } item) foreach (var p in Paths(item, $"{path}[{i}]")) yield return p;
                break;
        }
    }

    /// <summary>The whole tree's text with <paramref name="node"/> written as <paramref name="raw"/> (which need not be valid JSON).</summary>
    private static string Replace(JsonNode tree, JsonNode node, string raw)
    {
        var copy = tree;
        Swap(node, JsonValue.Create(Slot));
        string text = copy.ToJsonString().Replace($"\"{Slot}\"", raw);
        return text;
    }

    private static void Swap(JsonNode node, JsonNode replacement)
    {
        switch (node.Parent)
        {
            case JsonObject obj:
                obj[node.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[node.GetElementIndex()] = replacement;
                break;
        }
    }

    public static string Brief(string text) => text.Length <= 40 ? text : text[..40] + $"…({text.Length} chars)";
}
