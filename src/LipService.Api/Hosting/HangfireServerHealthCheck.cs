using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LipService.Api.Hosting;

/// <summary>In roles that run jobs, ready only when this process's Hangfire server has sent a heartbeat recently.</summary>
public sealed class HangfireServerHealthCheck(JobStorage storage, IOptions<LipServiceHostOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Role.RunsJobs()) return Task.FromResult(HealthCheckResult.Healthy("This role runs no jobs."));
        string prefix = $"{Environment.MachineName}:{Environment.ProcessId}";
        var now = time.GetUtcNow().UtcDateTime;
        bool alive = storage.GetMonitoringApi().Servers().Any(s =>
            s.Name.StartsWith(prefix, StringComparison.Ordinal) && s.Heartbeat is { } beat && now - beat < TimeSpan.FromMinutes(1));
        return Task.FromResult(alive
            ? HealthCheckResult.Healthy("The Hangfire server is running.")
            : HealthCheckResult.Unhealthy("No heartbeat from this process's Hangfire server."));
    }
}
