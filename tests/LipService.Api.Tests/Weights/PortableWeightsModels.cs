using LipService.Api.Tests.Http;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Weights;

/// <summary>
/// A dense and a convolutional three-class model trained briefly through the API (one epoch each:
/// the tests compare runtimes on the same weights, not accuracy).
/// </summary>
public sealed class PortableWeightsModels : IAsyncLifetime
{
    public LipServiceFactory Factory { get; } = new();

    public string DenseModelId { get; private set; } = null!;

    public string ConvModelId { get; private set; } = null!;

    /// <summary>A FullSort network, which the ONNX export refuses.</summary>
    public string FullSortModelId { get; private set; } = null!;

    /// <summary>The model of "dense" or "conv".</summary>
    public string ModelId(string architecture) => architecture == "conv" ? ConvModelId : DenseModelId;

    public async Task InitializeAsync()
    {
        using var client = Factory.CreateClient();
        DenseModelId = ModelOf(await client.TrainAsync("""{"classes": [1, 7, 3], "hidden": [32], "epochs": 1, "seed": 3}""", TimeSpan.FromMinutes(3)));
        ConvModelId = ModelOf(await client.TrainAsync(
            """{"classes": [1, 7, 3], "architecture": "conv", "channels": [4], "hidden": [], "epochs": 1, "seed": 4}""", TimeSpan.FromMinutes(4)));
        FullSortModelId = ModelOf(await client.TrainAsync("""{"hidden": [4], "activation": "fullsort", "epochs": 1, "seed": 5}"""));
    }

    /// <summary>The model of a job <see cref="ApiClient.TrainAsync"/> has already checked succeeded.</summary>
    private static string ModelOf(JsonNode job) => job["modelId"]!.GetValue<string>();

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
