using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;
using Microsoft.ML.OnnxRuntime;

namespace LipService.Api.Tests.Weights;

/// <summary>
/// GET /models/{id}/weights?format=onnx run by ONNX Runtime, a runtime that shares no code with
/// TorchSharp: it must reproduce the service's scores from the graph alone.
/// </summary>
[Collection(TrainedServiceCollection.Name)]
public class OnnxWeightsTests(TrainedServiceFixture binary, PortableWeightsModels multiclass) : IClassFixture<PortableWeightsModels>
{
    /// <summary>
    /// The graph runs the module's own float32 operations in the same order (the pooling included);
    /// only ONNX Runtime's GEMM and convolution kernels sum in another order than libtorch's.
    /// A reordered sum of ≤ 784 products moves by about √n·ε·‖w‖‖x‖ ≈ 28·6e-8·10 ≈ 2e-6 in the
    /// first layer, and the later layers are 1-Lipschitz, so it does not grow: 1e-5 leaves room
    /// without hiding a wrong pair order or pooling, which move scores by tenths.
    /// </summary>
    private const double ScoreTolerance = 1e-5;

    [Theory]
    [InlineData("binary")]
    [InlineData("dense")]
    [InlineData("conv")]
    [InlineData("ortho-conv")]
    [InlineData("ortho-conv-unshuffle")]
    public async Task OnnxRuntimeReproducesTheServiceScores(string model)
    {
        using var client = model == "binary" ? binary.CreateClient() : multiclass.Factory.CreateClient();
        string id = model == "binary" ? binary.ModelId : multiclass.ModelId(model);
        byte[] onnx = await ServiceScores.DownloadAsync(client, id, "onnx");
        var expected = await ServiceScores.PredictAsync(client, id);

        using var session = new InferenceSession(onnx);
        Assert.Equal(["input"], session.InputMetadata.Keys);
        Assert.Equal([-1, 784], session.InputMetadata["input"].Dimensions);
        Assert.Equal(["scores"], session.OutputMetadata.Keys);
        Assert.Equal([-1, expected[0].Length], session.OutputMetadata["scores"].Dimensions);

        float[] pixels = [.. ServiceScores.Images.SelectMany(image => image)];
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [ServiceScores.Images.Length, 784]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [input], ["scores"]);
        var scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        int width = expected[0].Length;
        var rows = Enumerable.Range(0, expected.Length).Select(i => scores[(i * width)..((i + 1) * width)].Select(s => (double)s).ToArray()).ToList();
        ServiceScores.AssertClose(expected, rows, ScoreTolerance);
    }

    [Fact]
    public async Task OnnxCarriesTheBoundAndSpecInItsMetadata()
    {
        using var client = multiclass.Factory.CreateClient();
        var model = (await client.GetFromJsonAsync<JsonNode>($"/models/{multiclass.ConvModelId}"))!;
        using var session = new InferenceSession(await ServiceScores.DownloadAsync(client, multiclass.ConvModelId, "onnx"));
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("[1,7,3]", metadata["lipservice.classes"]);
        Assert.Equal("conv", JsonNode.Parse(metadata["lipservice.spec"])!["architecture"]!.GetValue<string>());
        // Recomputed from the same float32 weights with the same float64 SVD as the stored bound.
        Tolerance.Relative(model["lipschitzBound"]!.GetValue<double>(), double.Parse(metadata["lipservice.lipschitzBound"], System.Globalization.CultureInfo.InvariantCulture), 1e-12);
    }

    [Fact]
    public async Task ActivationsWithoutAnOnnxFormAreRefused()
    {
        using var client = multiclass.Factory.CreateClient();
        var response = await client.GetAsync($"/models/{multiclass.FullSortModelId}/weights?format=onnx");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("FullSort", (await response.JsonAsync())["detail"]!.GetValue<string>());
        // The formats that only carry tensors still serve it.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/models/{multiclass.FullSortModelId}/weights?format=safetensors")).StatusCode);
    }
}
