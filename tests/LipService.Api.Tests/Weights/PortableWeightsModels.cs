using LipService.Api.Tests.Http;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Weights;

/// <summary>
/// A dense, a convolutional and two orthogonal-convolutional three-class models trained briefly
/// through the API (one epoch each: the tests compare runtimes on the same weights, not accuracy).
/// </summary>
public sealed class PortableWeightsModels : IAsyncLifetime
{
    public LipServiceFactory Factory { get; } = new();

    public string DenseModelId { get; private set; } = null!;

    public string ConvModelId { get; private set; } = null!;

    /// <summary>ortho-conv: circular padding and a stride-2 down-sampling, both of which the exports must write as such.</summary>
    public string OrthoConvModelId { get; private set; } = null!;

    /// <summary>ortho-conv-unshuffle: a down-sampling of the image (layers.stem) before the orthogonal stage.</summary>
    public string UnshuffleModelId { get; private set; } = null!;

    /// <summary>A FullSort network, which the ONNX export refuses.</summary>
    public string FullSortModelId { get; private set; } = null!;

    /// <summary>The model of "dense", "conv", "ortho-conv" or "ortho-conv-unshuffle".</summary>
    public string ModelId(string architecture) => architecture switch
    {
        "conv" => ConvModelId,
        "ortho-conv" => OrthoConvModelId,
        "ortho-conv-unshuffle" => UnshuffleModelId,
        _ => DenseModelId,
    };

    public async Task InitializeAsync()
    {
        using var client = Factory.CreateClient();
        DenseModelId = ModelOf(await client.TrainAsync("""{"classes": [1, 7, 3], "hidden": [32], "epochs": 1, "seed": 3}""", TimeSpan.FromMinutes(3)));
        ConvModelId = ModelOf(await client.TrainAsync(
            """{"classes": [1, 7, 3], "architecture": "conv", "channels": [4], "hidden": [], "epochs": 1, "seed": 4}""", TimeSpan.FromMinutes(4)));
        OrthoConvModelId = ModelOf(await client.TrainAsync(
            """{"classes": [1, 7, 3], "architecture": "ortho-conv", "channels": [4, 4], "hidden": [], "epochs": 1, "seed": 6}""", TimeSpan.FromMinutes(4)));
        UnshuffleModelId = ModelOf(await client.TrainAsync(
            """{"classes": [1, 7, 3], "architecture": "ortho-conv-unshuffle", "channels": [4], "hidden": [], "epochs": 1, "seed": 7}""", TimeSpan.FromMinutes(4)));
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
