using System.Net;

namespace LipService.Api.Tests.Monitoring;

/// <summary>Metrics:Enabled=false serves no metrics; Metrics:Path moves them.</summary>
public sealed class MetricsSwitchTests
{
    [Fact]
    public async Task DisabledMetricsAreNotServed()
    {
        using var factory = new ConfiguredFactory(new() { ["Metrics:Enabled"] = "false" });
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task PathMovesTheEndpoint()
    {
        using var factory = new ConfiguredFactory(new() { ["Metrics:Path"] = "/internal/prometheus" });
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        var moved = await client.GetAsync("/internal/prometheus");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Contains("# TYPE lipservice_predict_digits_total counter", await moved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class ConfiguredFactory(Dictionary<string, string> settings) : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => settings;
    }
}
