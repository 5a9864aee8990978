namespace LipService.Api.Monitoring;

/// <summary>The Prometheus endpoint (configuration section "Metrics").</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Serve the metrics and time HTTP requests; off: neither, and nothing answers at <see cref="Path"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes; outside the API key, like the health checks.</summary>
    public string Path { get; set; } = "/metrics";
}
