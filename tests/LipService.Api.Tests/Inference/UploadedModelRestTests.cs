using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Inference;

/// <summary>
/// The Open Inference Protocol over REST for a model of an uploaded dataset (12×12, one channel): its
/// metadata, inputs of its own shape flat and as images, its class names, and shapes of other models refused.
/// </summary>
[Collection(UploadedModelCollection.Name)]
public sealed class UploadedModelRestTests(UploadedModelFixture service)
{
    private const int Side = UploadedModelFixture.Side;
    private const int Pixels = UploadedModelFixture.Pixels;

    [Fact]
    public async Task MetadataGivesTheModelsInputShapeAndAClassNameOutput()
    {
        using var client = service.CreateClient();
        var metadata = await client.GetFromJsonAsync<JsonNode>($"/v2/models/{service.ModelId}");
        var input = metadata!["inputs"]!.AsArray().Single()!;
        Assert.Equal(("input", "FP32", $"[-1,{Pixels}]"), (input["name"]!.GetValue<string>(), input["datatype"]!.GetValue<string>(), input["shape"]!.ToJsonString()));
        Assert.Equal(["scores:FP32:[-1,1]", "label:INT64:[-1]", "certified_radius:FP64:[-1]", "class_name:BYTES:[-1]"],
            metadata["outputs"]!.AsArray().Select(o => $"{o!["name"]}:{o["datatype"]}:{o["shape"]!.ToJsonString()}"));
    }

    [Fact]
    public async Task FlatAndImageShapedInputsAreAnsweredAsPredictAnswersThem()
    {
        using var client = service.CreateClient();
        float[] flat = UploadedModelFixture.Images(4);
        float[][] images = [.. Enumerable.Range(0, 4).Select(i => flat.AsSpan(i * Pixels, Pixels).ToArray())];
        var predict = await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { modelId = service.ModelId, images }));
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        var expected = (await predict.JsonAsync())["predictions"]!.AsArray();

        var answer = await InferAsync(client, new { id = "u1", inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 4, Pixels }, data = flat } } });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var json = await answer.JsonAsync();
        Assert.Equal(("u1", service.ModelId), (json["id"]!.GetValue<string>(), json["model_version"]!.GetValue<string>()));
        var outputs = json["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>(), o => o!);
        Assert.Equal(["scores", "label", "certified_radius", "class_name"], outputs.Keys);
        Assert.Equal(("BYTES", "[4]"), (outputs["class_name"]["datatype"]!.GetValue<string>(), outputs["class_name"]["shape"]!.ToJsonString()));
        string[] names = [.. outputs["class_name"]["data"]!.AsArray().Select(v => v!.GetValue<string>())];
        long[] labels = [.. outputs["label"]["data"]!.AsArray().Select(v => v!.GetValue<long>())];
        for (int i = 0; i < 4; i++)
        {
            // /predict reads the JSON straight to float, this reader through double: a pixel may differ
            // by one float ulp (6e-8), which moves a 1-Lipschitz score by at most √144·6e-8 ≈ 7e-7.
            Tolerance.Absolute(expected[i]!["score"]!.GetValue<float>(), outputs["scores"]["data"]![i]!.GetValue<float>(), 1e-6);
            Assert.Equal(expected[i]!["label"]!.GetValue<int>(), labels[i]);
            Assert.Equal(expected[i]!["className"]!.GetValue<string>(), names[i]);
            Assert.Equal(UploadedModelFixture.ClassNames[labels[i]], names[i]);
        }

        // [N, 1, 12, 12], nested: the same tensor, the same answers exactly.
        var nestedData = images.Select(image => new[] { Enumerable.Range(0, Side).Select(r => image.AsSpan(r * Side, Side).ToArray()).ToArray() }).ToArray();
        var nested = await InferAsync(client, new { inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 4, 1, Side, Side }, data = nestedData } } });
        Assert.Equal(HttpStatusCode.OK, nested.StatusCode);
        var nestedOutputs = (await nested.JsonAsync())["outputs"]!.AsArray();
        Assert.Equal(outputs["scores"]["data"]!.ToJsonString(), nestedOutputs[0]!["data"]!.ToJsonString());
        Assert.Equal(outputs["class_name"]["data"]!.ToJsonString(), nestedOutputs[3]!["data"]!.ToJsonString());
    }

    [Fact]
    public async Task BinaryTensorsAreSizedForTheModelAndClassNamesComeLengthPrefixed()
    {
        using var client = service.CreateClient();
        float[] flat = UploadedModelFixture.Images(3, seed: 9);
        var json = await (await InferAsync(client, new { inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 3, Pixels }, data = flat } } })).JsonAsync();
        string[] names = [.. json["outputs"]![3]!["data"]!.AsArray().Select(v => v!.GetValue<string>())];

        var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 3, 1, Side, Side }, parameters = new { binary_data_size = flat.Length * 4 } } },
            outputs = new object[] { new { name = "class_name", parameters = new { binary_data = true } }, new { name = "label" } },
        }));
        using var content = new ByteArrayContent([.. header, .. MemoryMarshal.AsBytes(flat.AsSpan()).ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString());
        var binary = await client.PostAsync($"/v2/models/{service.ModelId}/infer", content);
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        byte[] body = await binary.Content.ReadAsByteArrayAsync();
        int jsonLength = int.Parse(binary.Headers.GetValues("Inference-Header-Content-Length").Single());
        var answer = JsonNode.Parse(body.AsSpan(0, jsonLength))!["outputs"]!.AsArray();
        Assert.Equal(["class_name", "label"], answer.Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal(("BYTES", "[3]"), (answer[0]!["datatype"]!.GetValue<string>(), answer[0]!["shape"]!.ToJsonString()));
        int size = answer[0]!["parameters"]!["binary_data_size"]!.GetValue<int>();
        Assert.Equal(body.Length, jsonLength + size);
        Assert.Equal(names, ReadBytesTensor(body.AsSpan(jsonLength, size)));
    }

    public static TheoryData<string, string> WrongShapes => new()
    {
        // the body (model-specific parts filled in by the test), what the error must say
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "data": [ZEROS784]}]}""", "The input's shape must be [N, 144] or [N, 1, 12, 12] for model MODEL (got [1, 784])." },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 1, 28, 28], "data": [ZEROS784]}]}""", "The input's shape must be [N, 144] or [N, 1, 12, 12] for model MODEL (got [1, 1, 28, 28])." },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 12, 12], "data": [ZEROS144]}]}""", "[N, 144] or [N, 1, 12, 12] for model MODEL (got [1, 12, 12])" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 144], "parameters": {"binary_data_size": 3136}}]}""", "binary_data_size must be the number 576 (N·144 FP32 values; got 3136)" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [2, 144], "data": [ZEROS144]}]}""", "needs 288 values; \"data\" has 144" },
        // A shape far beyond what its data holds is refused before the pixels are sized from it.
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1000, 144], "data": [0]}]}""", "needs 144000 values; \"data\" has 1" },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public async Task ShapesOfAnotherModelAreRefusedNamingThisOnes(string body, string mentions)
    {
        using var client = service.CreateClient();
        string zeros(int n) => string.Join(",", Enumerable.Repeat("0", n));
        body = body.Replace("ZEROS784", zeros(784)).Replace("ZEROS144", zeros(Pixels));
        var response = await client.PostAsync($"/v2/models/{service.ModelId}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions.Replace("MODEL", service.ModelId), (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    /// <summary>The protocol's raw BYTES tensor: each element a 4-byte little-endian length, then its bytes.</summary>
    internal static List<string> ReadBytesTensor(ReadOnlySpan<byte> raw)
    {
        var values = new List<string>();
        while (raw.Length > 0)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw);
            values.Add(Encoding.UTF8.GetString(raw.Slice(4, length)));
            raw = raw[(4 + length)..];
        }
        return values;
    }

    private Task<HttpResponseMessage> InferAsync(HttpClient client, object body)
        => client.PostJsonAsync($"/v2/models/{service.ModelId}/infer", JsonSerializer.Serialize(body));
}
