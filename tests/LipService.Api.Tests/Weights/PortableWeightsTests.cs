using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Weights;

/// <summary>
/// GET /models/{id}/weights in the portable formats: Debian's PyTorch loads the .pt state dict and
/// the safetensors file into a module written in Python and reproduces the service's scores.
/// </summary>
[Collection(TrainedServiceCollection.Name)]
public class PortableWeightsTests(TrainedServiceFixture binary, PortableWeightsModels multiclass) : IClassFixture<PortableWeightsModels>
{
    /// <summary>
    /// Both sides run the same float32 weights through the same float32 operations; only the order
    /// of the sums differs (libtorch 2.10 under TorchSharp, Debian's 1.13, different kernels).
    /// A reordered sum of ≤ 784 products moves by about √n·ε·‖w‖‖x‖ ≈ 28·6e-8·10 ≈ 2e-6 in the
    /// first layer (‖w‖ ≤ 1, an MNIST digit has ‖x‖ ≈ 10), and every later layer is 1-Lipschitz,
    /// so it does not grow: 1e-5 leaves room without hiding a wrong layer, which moves scores by
    /// tenths.
    /// </summary>
    private const double ScoreTolerance = 1e-5;

    private static readonly string Script = RepositoryPaths.File("tests", "LipService.Api.Tests", "Weights", "score_portable_weights.py");

    [Theory]
    [InlineData("binary")]
    [InlineData("dense")]
    [InlineData("conv")]
    [InlineData("ortho-conv")]
    [InlineData("ortho-conv-unshuffle")]
    public async Task PyTorchReproducesTheServiceScores(string model)
    {
        using var client = CreateClient(model);
        string id = ModelId(model);
        using var folder = new TempFolder("lipservice-weights-");
        string pt = Path.Combine(folder.Path, "model.pt"), safetensors = Path.Combine(folder.Path, "model.safetensors"), pixels = Path.Combine(folder.Path, "pixels.json");
        await File.WriteAllBytesAsync(pt, await ServiceScores.DownloadAsync(client, id, "pt"));
        await File.WriteAllBytesAsync(safetensors, await ServiceScores.DownloadAsync(client, id, "safetensors"));
        await File.WriteAllTextAsync(pixels, ServiceScores.ImagesJson);
        var expected = await ServiceScores.PredictAsync(client, id);

        var python = JsonNode.Parse(await DebianPython.RunAsync(Script, pt, safetensors, pixels))!;
        foreach (string file in new[] { "pt", "safetensors" })
        {
            var actual = python[file]!.AsArray().Select(row => row!.AsArray().Select(s => s!.GetValue<double>()).ToArray()).ToList();
            ServiceScores.AssertClose(expected, actual, ScoreTolerance);
        }
        Assert.Contains("layers.output.weight", python["ptKeys"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task SafetensorsMetadataCarriesSpecClassesAndBounds()
    {
        using var client = multiclass.Factory.CreateClient();
        var model = (await client.GetFromJsonAsync<JsonNode>($"/models/{multiclass.ConvModelId}"))!;
        byte[] file = await ServiceScores.DownloadAsync(client, multiclass.ConvModelId, "safetensors");

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, headerLength % 8);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength))!.AsObject();
        var metadata = header["__metadata__"]!.AsObject();
        Assert.Equal("1", metadata["lipservice.formatVersion"]!.GetValue<string>());
        Assert.Equal("[1,7,3]", metadata["lipservice.classes"]!.GetValue<string>());
        var spec = JsonNode.Parse(metadata["lipservice.spec"]!.GetValue<string>())!;
        Assert.Equal("conv", spec["architecture"]!.GetValue<string>());
        Assert.Equal([4], spec["channels"]!.AsArray().Select(c => c!.GetValue<int>()));
        // Recomputed from the same float32 weights with the same float64 SVD as the stored bound.
        Tolerance.Relative(model["lipschitzBound"]!.GetValue<double>(), Parse(metadata["lipservice.lipschitzBound"]!), 1e-12);
        Assert.Equal(model["lipschitzLowerBound"]!.GetValue<double>(), Parse(metadata["lipservice.lipschitzLowerBound"]!));

        var conv = header["layers.conv0.weight"]!;
        Assert.Equal("F32", conv["dtype"]!.GetValue<string>());
        Assert.Equal([4, 1, 3, 3], conv["shape"]!.AsArray().Select(d => d!.GetValue<int>()));
        long dataBytes = header.Where(e => e.Key != "__metadata__").Max(e => e.Value!["data_offsets"]![1]!.GetValue<long>());
        Assert.Equal(file.Length, 8 + (long)headerLength + dataBytes);
    }

    [Theory]
    [InlineData(null, "application/octet-stream", "bin")]
    [InlineData("torchsharp", "application/octet-stream", "bin")]
    [InlineData("safetensors", "application/octet-stream", "safetensors")]
    [InlineData("pt", "application/zip", "pt")]
    [InlineData("PT", "application/zip", "pt")]
    [InlineData("onnx", "application/octet-stream", "onnx")]
    public async Task EachFormatHasItsMediaTypeAndFileName(string? format, string contentType, string extension)
    {
        using var client = binary.CreateClient();
        var response = await client.GetAsync($"/models/{binary.ModelId}/weights" + (format is null ? "" : $"?format={format}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"lipservice-model-{binary.ModelId}.{extension}", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        if (extension == "pt") Assert.Equal("PK"u8.ToArray(), bytes[..2]);
    }

    [Fact]
    public async Task UnknownFormatIsRefusedNamingTheKnownOnes()
    {
        using var client = binary.CreateClient();
        var response = await client.GetAsync($"/models/{binary.ModelId}/weights?format=keras");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        string error = (await response.JsonAsync())["errors"]!["format"]![0]!.GetValue<string>();
        Assert.Contains("'keras'", error);
        Assert.Contains("safetensors", error);
    }

    [Fact]
    public async Task UnknownModelIs404InEveryFormat()
    {
        using var client = binary.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/models/nope/weights?format=safetensors")).StatusCode);
    }

    private HttpClient CreateClient(string model) => model == "binary" ? binary.CreateClient() : multiclass.Factory.CreateClient();

    private string ModelId(string model) => model == "binary" ? binary.ModelId : multiclass.ModelId(model);

    private static double Parse(JsonNode value) => double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture);
}
