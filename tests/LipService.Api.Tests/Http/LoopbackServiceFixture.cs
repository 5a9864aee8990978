using LipService.Api.Tests.EndToEnd;

namespace LipService.Api.Tests.Http;

/// <summary>
/// The real executable on 127.0.0.1 with one small trained model, shared by the tests that speak raw
/// HTTP to it (lengths and headers HttpClient will not send) and measure the server's own memory.
/// </summary>
public sealed class LoopbackServiceFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new("lipservice-loopback-");
    private ServiceProcess? service;

    internal ServiceProcess Service => service ?? throw new InvalidOperationException("The service has not started.");

    public int Port => Service.Port;

    public HttpClient Client => Service.Client;

    public string ModelId { get; private set; } = "";

    public long ResidentBytes() => Service.ResidentBytes();

    /// <summary>Everything the service has logged so far, for a failing test to show.</summary>
    public string Log => Service.Log;

    public async Task InitializeAsync()
    {
        service = await ServiceProcess.StartAsync(folder.Path);
        // The smallest model the spec allows to train fast: these tests are about reading requests, not answers.
        var job = await service.Client.TrainAsync("""{"hidden": [4], "activation": "fullsort", "epochs": 1, "seed": 5}""", TimeSpan.FromMinutes(3));
        ModelId = job["modelId"]!.GetValue<string>();
    }

    public Task DisposeAsync()
    {
        service?.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class LoopbackServiceCollection : ICollectionFixture<LoopbackServiceFixture>
{
    public const string Name = "loopback service";
}
