using LipService.Api.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LipService.Api.Hosting;

/// <summary>Ready only when the store can commit a write (and, for SQLite, its disk has room for the next ones).</summary>
public sealed class StoreHealthCheck(IDbConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await StoreWriteProbe.ProbeAsync(connections, cancellationToken) is { } problem
                ? HealthCheckResult.Unhealthy(problem)
                : HealthCheckResult.Healthy("The store commits writes.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            string reason = StoreFailure.Classify(e, connections) is { } kind
                ? StoreFailure.Describe(kind, connections.Location, e)
                : $"The store {connections.Location} does not accept a write: {e.Message.Trim()}";
            return HealthCheckResult.Unhealthy(reason, e);
        }
    }
}
