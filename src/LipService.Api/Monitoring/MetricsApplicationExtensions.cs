using Microsoft.Extensions.Options;
using Prometheus;

namespace LipService.Api.Monitoring;

/// <summary>The request timing and the scrape endpoint.</summary>
public static class MetricsApplicationExtensions
{
    /// <summary>The scrape endpoint's name, by which the request log knows a scrape wherever Metrics:Path puts it.</summary>
    public const string ScrapeEndpointName = "Prometheus scrape";

    /// <summary>
    /// Call first in the pipeline: the exception handler then runs inside the timing, so a request
    /// that threw is counted with the 500 it answered. Mapped in every role, so workers are scraped too.
    /// </summary>
    public static WebApplication UseServiceMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled) return app;
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        // Labelled with the route template (endpoint="/jobs/{id}"), never the raw path: ids stay out of the series;
        // and with a standard method or "other", never a method a client made up.
        app.UseHttpMethodFolding();
        app.UseHttpMetrics(o =>
        {
            o.SetMetricFactory(metrics.Factory);
            // Exemplars appear only in the OpenMetrics format, which is not served here: recording them
            // on every request would be work and memory for nothing.
            o.ConfigureMeasurements(m => m.ExemplarPredicate = _ => false);
        });
        app.MapMetrics(options.Path, metrics.Registry).WithDisplayName(ScrapeEndpointName).ExcludeFromDescription();
        return app;
    }
}
