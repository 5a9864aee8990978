using System.CommandLine;

namespace LipService.Api.Cli;

/// <summary>
/// <c>health [--url http://127.0.0.1:8080/health/ready]</c>: exit 0 when the service answers
/// healthy. For container health checks: the runtime images carry no curl.
/// </summary>
internal static class HealthCommand
{
    public static Option<string> Url { get; } = new("--url")
    {
        Description = "The readiness endpoint to ask.",
        DefaultValueFactory = _ => "http://127.0.0.1:8080/health/ready",
        Validators = { result => { if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out _)) result.AddError("--url must be an absolute URL such as http://127.0.0.1:8080/health/ready."); } },
    };

    public static int Run(ParseResult parsed, TextWriter output)
    {
        var url = new Uri(parsed.GetValue(Url)!);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var response = client.GetAsync(url).GetAwaiter().GetResult();
            output.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            output.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }
}
