using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

[Collection(TrainedServiceCollection.Name)]
public class HostEndpointTests(TrainedServiceFixture service)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswerHealthy(string url)
    {
        using var client = service.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SwaggerDocumentsEveryEndpointWithADescription()
    {
        using var client = service.CreateClient();
        var document = await client.GetFromJsonAsync<JsonNode>("/swagger/v1/swagger.json");
        var paths = document!["paths"]!.AsObject();
        foreach (string path in new[] { "/jobs", "/jobs/{id}", "/jobs/{id}/metrics", "/jobs/{id}/cancel", "/models", "/models/{id}", "/models/{id}/weights", "/predict" })
        {
            Assert.True(paths.ContainsKey(path), path);
            foreach (var (_, operation) in paths[path]!.AsObject())
                Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"{path} has no summary");
        }
        Assert.Contains("text/event-stream", paths["/jobs/{id}/metrics"]!.ToJsonString());
        Assert.Contains("28×28", document["info"]!["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }
}
