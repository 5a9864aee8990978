using LipService.Api.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LipService.Api.Hosting;

/// <summary>Ready only when the store answers a query.</summary>
public sealed class StoreHealthCheck(IJobCatalog store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", e);
        }
    }
}
