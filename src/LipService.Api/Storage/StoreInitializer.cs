
namespace LipService.Api.Storage;

/// <summary>Creates the store's tables before anything else starts.</summary>
public sealed class StoreInitializer(IDbConnectionFactory connections) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connections.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
