using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>One in-process service with one short job (3 epochs of the notebook model) trained through the API, shared by a test collection.</summary>
public sealed class TrainedServiceFixture : IAsyncLifetime
{
    public LipServiceFactory Factory { get; } = new();

    public JsonNode TrainedJob { get; private set; } = null!;

    public string ModelId => TrainedJob["modelId"]!.GetValue<string>();

    public HttpClient CreateClient() => Factory.CreateClient();

    public async Task InitializeAsync()
    {
        using var client = Factory.CreateClient();
        TrainedJob = await client.TrainAsync("""{"epochs": 3, "seed": 42}""");
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedServiceCollection : ICollectionFixture<TrainedServiceFixture>
{
    public const string Name = "trained service";
}
