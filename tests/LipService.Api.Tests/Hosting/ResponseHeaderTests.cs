using System.Net;
using System.Text;

namespace LipService.Api.Tests.Hosting;

/// <summary>
/// Every answer tells browsers not to guess its type: a JSON error that echoes client text, the
/// Swagger and Hangfire pages and a 404 must never be sniffed into HTML or script.
/// </summary>
public sealed class ResponseHeaderTests(LipServiceFactory factory) : IClassFixture<LipServiceFactory>
{
    [Theory]
    [InlineData("GET", "/jobs")]
    [InlineData("GET", "/models/no-such-model")]
    [InlineData("GET", "/swagger/index.html")]
    [InlineData("GET", "/swagger/v1/swagger.json")]
    [InlineData("GET", "/hangfire")]
    [InlineData("GET", "/health/ready")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/no-such-path")]
    [InlineData("POST", "/predict")]
    [InlineData("DELETE", "/jobs")]
    public async Task EveryResponseSaysNosniff(string method, string path)
    {
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("{\"images\": [[0.5]]}", Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values), $"{method} {path} answered {(int)response.StatusCode} without X-Content-Type-Options");
        Assert.Equal("nosniff", values.Single());
    }
}
