using System.Net;
using System.Text.Json;

namespace LipService.Api.Tests.Http;

public sealed class RateLimitTests(RateLimitTests.LimitedFactory factory) : IClassFixture<RateLimitTests.LimitedFactory>
{
    [Fact]
    public async Task PredictBeyondTheConfiguredRateGets429()
    {
        using var client = factory.CreateClient();
        string body = JsonSerializer.Serialize(new { images = new[] { new float[784] } });
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 10; i++) statuses.Add((await client.PostJsonAsync("/predict", body)).StatusCode);
        // No model exists: requests within the budget get 404, the rest are refused before reaching the
        // handler. The bucket refills 3 a second, so a refill during the loop may let 3 more through.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.NotFound), 3, 6);
        Assert.Equal(10, statuses.Count(s => s is HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs")).StatusCode);
    }

    public sealed class LimitedFactory : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Serving:PredictPermitsPerSecond"] = "3" };
    }
}
