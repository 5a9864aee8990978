using LipService.Api.Monitoring;
using Serilog.AspNetCore;
using Serilog.Events;

namespace LipService.Api.Hosting;

/// <summary>
/// Levels of the one-line-per-request log: a successful prediction, health probe or Prometheus scrape
/// is routine (a load balancer probes and Prometheus scrapes every few seconds, clients predict
/// thousands of times a second) and goes to Debug; server errors are Error, everything else Information (Serilog's own defaults).
/// </summary>
public static class RequestLogLevels
{
    public static void Configure(RequestLoggingOptions options) => options.GetLevel = (context, _, exception) =>
    {
        int status = context.Response.StatusCode;
        if (exception is not null || status >= 500) return LogEventLevel.Error;
        var path = context.Request.Path;
        bool routine = status < 400 && (path.StartsWithSegments("/predict") || path.StartsWithSegments("/health")
            || context.GetEndpoint()?.DisplayName == MetricsApplicationExtensions.ScrapeEndpointName);
        return routine ? LogEventLevel.Debug : LogEventLevel.Information;
    };
}
