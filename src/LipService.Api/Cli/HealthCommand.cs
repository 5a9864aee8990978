namespace LipService.Api.Cli;

/// <summary>
/// <c>health [--url http://127.0.0.1:8080/health/ready]</c>: exit 0 when the service answers
/// healthy. For container health checks: the runtime images carry no curl.
/// </summary>
public static class HealthCommand
{
    public static int Run(CliOptions options, TextWriter output)
    {
        string url = options.Get("url") ?? "http://127.0.0.1:8080/health/ready";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var response = client.GetAsync(url).GetAwaiter().GetResult();
            output.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            output.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }
}
