using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Sends mutated requests one after another and keeps every answer that breaks the rule: 2xx or a
/// 4xx whose body is what the endpoint promises (<paramref name="errorBodyOk"/>), never a 5xx.
/// </summary>
internal sealed class MutationRun(int seed, ITestOutputHelper output, Func<RawHttp.Answer, bool> errorBodyOk)
{
    private readonly List<string> failures = [];
    private readonly Dictionary<int, int> statuses = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public int Count { get; private set; }

    public int Closed { get; private set; }

    public void Record(string what, RawHttp.Answer answer, bool mayClose = false)
    {
        Count++;
        statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
        if (answer.Status == 0 && mayClose)
        {
            // The body ended early and the server dropped the connection: nothing to judge but the log.
            Closed++;
            return;
        }
        bool ok = answer.Status is >= 200 and < 300 || answer.Status is >= 400 and < 500 && errorBodyOk(answer);
        if (!ok)
        {
            failures.Add($"#{Count} {what} → {answer}");
            output.WriteLine($"FAILED seed {seed} #{Count}: {what} → {answer}");
        }
    }

    /// <summary>Fails with the seed and every failing mutation.</summary>
    public void AssertNoFailures(string name)
    {
        string summary = $"{name}: seed {seed}, {Count} mutations in {clock.Elapsed.TotalSeconds:0.0} s, statuses "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine(summary);
        Assert.True(failures.Count == 0, $"{summary}\n{failures.Count} failed:\n{string.Join("\n", failures.Take(40))}");
    }

    /// <summary>The protocol's error: a JSON object with a non-empty string "error".</summary>
    public static bool ProtocolError(RawHttp.Answer answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>RFC 9457 problem details: application/problem+json with a status and a title.</summary>
    public static bool ProblemDetails(RawHttp.Answer answer)
    {
        if (answer.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true) return false;
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            return json.RootElement.TryGetProperty("status", out var status) && status.GetInt32() == answer.Status && json.RootElement.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
