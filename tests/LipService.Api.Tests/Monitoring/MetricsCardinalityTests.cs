using System.Net;
using System.Text.RegularExpressions;

namespace LipService.Api.Tests.Monitoring;

/// <summary>
/// Label values a client chooses must not become series: a client inventing a method per request
/// would otherwise grow /metrics (and Prometheus's memory) without bound, no key needed.
/// </summary>
public sealed partial class MetricsCardinalityTests(LipServiceFactory factory) : IClassFixture<LipServiceFactory>
{
    private static readonly string[] KnownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "other"];

    [Fact]
    public async Task MadeUpMethodsAreCountedAsOtherAndAddNoSeries()
    {
        using var client = factory.CreateClient();
        // Both kinds of answer a made-up method gets: 404 on an unknown path, 405 on a known one.
        await SendAsync(client, "M00000", "/no-such-path");
        await SendAsync(client, "M00001", "/jobs");
        // Case is the client's too: "get" is GET to routing, and must not be a series of its own.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(new HttpMethod("get"), "/health/live"))).StatusCode);
        // The first scrape's own series appear in the second.
        await client.GetStringAsync("/metrics");
        int linesBefore = (await client.GetStringAsync("/metrics")).Split('\n').Length;

        for (int i = 2; i < 32; i++)
        {
            await SendAsync(client, $"M{i:00000}", i % 2 == 0 ? $"/no-such-path/{i}" : "/jobs");
        }
        string exposition = await client.GetStringAsync("/metrics");

        var methods = MethodLabel().Matches(exposition).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.All(methods, method => Assert.Contains(method, KnownMethods));
        Assert.Contains("other", methods);
        Assert.Equal(linesBefore, exposition.Split('\n').Length);
    }

    private static async Task SendAsync(HttpClient client, string method, string path)
    {
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path}: {response.StatusCode}");
    }

    [GeneratedRegex("method=\"([^\"]*)\"")]
    private static partial Regex MethodLabel();
}
