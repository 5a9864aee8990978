using System.Net;
using System.Text.Json;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Serving:PredictPermitsPerSecond counts digits, not requests, and a refusal says when to retry.
/// No model exists: a request the limiter lets through gets 404.
/// </summary>
public sealed class DigitRateLimitTests(DigitRateLimitTests.TenDigitsFactory factory) : IClassFixture<DigitRateLimitTests.TenDigitsFactory>
{
    [Fact]
    public async Task EachDigitTakesAPermitAndRefusalsCarryRetryAfter()
    {
        using var client = factory.CreateClient();

        // More digits than the bucket ever holds: no wait would help, so 413 rather than 429.
        var tooMany = await client.PostJsonAsync("/predict", Digits(11));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Contains("Serving:PredictPermitsPerSecond", (await tooMany.JsonAsync())["detail"]!.GetValue<string>());

        // Counted per request, ten a second would let all eight through. Counted per digit, the 9
        // permits left pass one request of 6; a refill (10 a second) during the loop may pass 2 more.
        var responses = new List<HttpResponseMessage>();
        for (int i = 0; i < 8; i++) responses.Add(await client.PostJsonAsync("/predict", Digits(6)));
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.NotFound), 1, 3);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(8, refused.Count + responses.Count(r => r.StatusCode == HttpStatusCode.NotFound));
        Assert.All(refused, r => Assert.InRange(r.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
    }

    private static string Digits(int count) => JsonSerializer.Serialize(new { images = Enumerable.Range(0, count).Select(_ => new float[784]) });

    public sealed class TenDigitsFactory : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Serving:PredictPermitsPerSecond"] = "10" };
    }
}
