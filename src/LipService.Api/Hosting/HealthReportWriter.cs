using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LipService.Api.Hosting;

/// <summary>
/// The health endpoints' body: the overall status alone when healthy (what probes and the <c>health</c>
/// command compare), followed by one line per failing check when not, so the operator reads why.
/// </summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = new List<string> { report.Status.ToString() };
        lines.AddRange(report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .Select(entry => $"{entry.Key}: {entry.Value.Description ?? entry.Value.Exception?.Message ?? entry.Value.Status.ToString()}"));
        return context.Response.WriteAsync(string.Join('\n', lines), context.RequestAborted);
    }
}
