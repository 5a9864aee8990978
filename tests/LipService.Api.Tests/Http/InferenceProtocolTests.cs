using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>The Open Inference Protocol v2 over REST, against the notebook's model trained on real MNIST.</summary>
[Collection(TrainedServiceCollection.Name)]
public class InferenceProtocolTests(TrainedServiceFixture service)
{
    [Fact]
    public async Task ServerMetadataAndHealthHaveTheProtocolsShapes()
    {
        using var client = service.CreateClient();
        var metadata = await client.GetFromJsonAsync<JsonNode>("/v2");
        Assert.Equal("lipservice", metadata!["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(metadata["version"]!.GetValue<string>()));
        Assert.Contains("binary_tensor_data", metadata["extensions"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True((await client.GetFromJsonAsync<JsonNode>("/v2/health/live"))!["live"]!.GetValue<bool>());
        Assert.True((await client.GetFromJsonAsync<JsonNode>("/v2/health/ready"))!["ready"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ModelMetadataNamesTheTensorsAndTheVersionIsTheId()
    {
        using var client = service.CreateClient();
        var metadata = await client.GetFromJsonAsync<JsonNode>($"/v2/models/{service.ModelId}");
        Assert.Equal(service.ModelId, metadata!["name"]!.GetValue<string>());
        Assert.Equal([service.ModelId], metadata["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(metadata["platform"]!.GetValue<string>()));
        var input = metadata["inputs"]!.AsArray().Single()!;
        Assert.Equal(("input", "FP32", "[-1,784]"), (input["name"]!.GetValue<string>(), input["datatype"]!.GetValue<string>(), input["shape"]!.ToJsonString()));
        Assert.Equal(["scores:FP32:[-1,1]", "label:INT64:[-1]", "certified_radius:FP64:[-1]", "class_name:BYTES:[-1]"],
            metadata["outputs"]!.AsArray().Select(o => $"{o!["name"]}:{o["datatype"]}:{o["shape"]!.ToJsonString()}"));

        var versioned = await client.GetAsync($"/v2/models/{service.ModelId}/versions/{service.ModelId}/ready");
        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.True((await versioned.JsonAsync())["ready"]!.GetValue<bool>());
        foreach (string url in new[] { "/v2/models/nope", "/v2/models/nope/ready", $"/v2/models/{service.ModelId}/versions/0123/ready" })
        {
            var missing = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.False(string.IsNullOrEmpty((await missing.JsonAsync())["error"]!.GetValue<string>()), url);
        }
    }

    [Fact]
    public async Task JsonNestedAndBinaryInferenceGiveTheSameAnswersAsPredict()
    {
        using var client = service.CreateClient();
        var digits = MnistDigits.Take(8);
        float[] flat = [.. digits.SelectMany(d => d.Pixels)];

        var predict = await (await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { modelId = service.ModelId, images = digits.Select(d => d.Pixels) }))).JsonAsync();
        var expected = predict["predictions"]!.AsArray();

        var json = await InferAsync(client, new { id = "r1", inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 8, 784 }, data = flat } } });
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var answer = await json.JsonAsync();
        Assert.Equal(("r1", service.ModelId, service.ModelId), (answer["id"]!.GetValue<string>(), answer["model_name"]!.GetValue<string>(), answer["model_version"]!.GetValue<string>()));
        var outputs = answer["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>(), o => o!);
        Assert.Equal("[8,1]", outputs["scores"]["shape"]!.ToJsonString());
        float[] scores = [.. outputs["scores"]["data"]!.AsArray().Select(v => v!.GetValue<float>())];
        long[] labels = [.. outputs["label"]["data"]!.AsArray().Select(v => v!.GetValue<long>())];
        double[] radii = [.. outputs["certified_radius"]["data"]!.AsArray().Select(v => v!.GetValue<double>())];
        string[] names = [.. outputs["class_name"]["data"]!.AsArray().Select(v => v!.GetValue<string>())];
        Assert.Equal(("BYTES", "[8]"), (outputs["class_name"]["datatype"]!.GetValue<string>(), outputs["class_name"]["shape"]!.ToJsonString()));
        for (int i = 0; i < 8; i++)
        {
            // Both paths parse the same decimal pixels, /predict straight to float and this one through
            // double: a pixel may differ by one float ulp (6e-8), which moves a 1-Lipschitz score by at
            // most √784·6e-8 ≈ 1.7e-6.
            Tolerance.Absolute(expected[i]!["score"]!.GetValue<float>(), scores[i], 2e-6);
            Assert.Equal(expected[i]!["label"]!.GetValue<int>(), labels[i]);
            Tolerance.Absolute(expected[i]!["certifiedRadius"]!.GetValue<double>(), radii[i], 2e-6);
            // An MNIST model's class names are its digits.
            Assert.Equal((expected[i]!["className"]!.GetValue<string>(), labels[i].ToString()), (names[i], names[i]));
        }

        // [N, 1, 28, 28] with nested data is the same tensor: the same floats, the same answers exactly.
        var nestedData = digits.Select(d => new[] { Enumerable.Range(0, 28).Select(r => d.Pixels.AsSpan(r * 28, 28).ToArray()).ToArray() }).ToArray();
        var nested = await (await InferAsync(client, new { inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 8, 1, 28, 28 }, data = nestedData } } })).JsonAsync();
        Assert.Equal(outputs["scores"]["data"]!.ToJsonString(), nested["outputs"]![0]!["data"]!.ToJsonString());

        // Binary both ways: raw FP32 in, raw outputs back, bit for bit the JSON path's values.
        var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 8, 784 }, parameters = new { binary_data_size = flat.Length * 4 } } },
            parameters = new { binary_data_output = true },
        }));
        using var content = new ByteArrayContent([.. header, .. MemoryMarshal.AsBytes(flat.AsSpan()).ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString());
        var binary = await client.PostAsync($"/v2/models/{service.ModelId}/infer", content);
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        byte[] body = await binary.Content.ReadAsByteArrayAsync();
        int jsonLength = int.Parse(binary.Headers.GetValues("Inference-Header-Content-Length").Single());
        var binaryAnswer = JsonNode.Parse(body.AsSpan(0, jsonLength))!;
        var sizes = binaryAnswer["outputs"]!.AsArray().Select(o => o!["parameters"]!["binary_data_size"]!.GetValue<int>()).ToArray();
        // class_name: per image a 4-byte length and one digit.
        Assert.Equal([8 * 4, 8 * 8, 8 * 8, 8 * (4 + 1)], sizes);
        Assert.Equal(body.Length, jsonLength + sizes.Sum());
        Assert.Equal(scores, MemoryMarshal.Cast<byte, float>(body.AsSpan(jsonLength, sizes[0])).ToArray());
        Assert.Equal(labels, MemoryMarshal.Cast<byte, long>(body.AsSpan(jsonLength + sizes[0], sizes[1])).ToArray());
        Assert.Equal(radii, MemoryMarshal.Cast<byte, double>(body.AsSpan(jsonLength + sizes[0] + sizes[1], sizes[2])).ToArray());
        Assert.Equal(names, Inference.UploadedModelRestTests.ReadBytesTensor(body.AsSpan(jsonLength + sizes[0] + sizes[1] + sizes[2], sizes[3])));
    }

    [Fact]
    public async Task OnlyTheOutputsAskedForAreAnsweredInTheirOrder()
    {
        using var client = service.CreateClient();
        var pixels = MnistDigits.Take(1)[0].Pixels;
        var answer = await (await InferAsync(client, new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 1, 784 }, data = pixels } },
            outputs = new[] { new { name = "certified_radius" }, new { name = "label" } },
        })).JsonAsync();
        Assert.Equal(["certified_radius", "label"], answer["outputs"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
    }

    private static readonly string Zeros = string.Join(",", Enumerable.Repeat("0", 784));

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 784], "data": []}]}""", "named" },
        { """{"inputs": [{"name": "input", "datatype": "INT8", "shape": [1, 784], "data": []}]}""", "datatype" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 783], "data": []}]}""", "shape must be [N, 784] or [N, 1, 28, 28] for model" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [0, 784], "data": []}]}""", "N must be" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "data": [0.5]}]}""", "needs 784 values" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "data": ["a"]}]}""", "numbers only" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784]}]}""", "needs \"data\"" },
        { """{"inputs": []}""", "exactly one" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "data": [""" + Zeros + """]}], "outputs": [{"name": "logits"}]}""", "Unknown output" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "parameters": {"binary_data_size": 12}}]}""", "binary_data_size" },
        { """{"inputs": [""", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestsGet400WithTheProtocolsErrorBody(string body, string mentions)
    {
        using var client = service.CreateClient();
        var response = await client.PostAsync($"/v2/models/{service.ModelId}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    public static TheoryData<int, int, string> BadBinaryBodies => new()
    {
        // header length claimed, tensor bytes sent (784 FP32 values need 3,136), what the error names
        { 5000, 3136, "Inference-Header-Content-Length" },
        { 0, 3135, "binary section holds 3135 bytes" },
        { 0, 3140, "binary section holds 3140 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadBinaryBodies))]
    public async Task MalformedBinaryBodiesGet400(int claimedHeaderLength, int tensorBytes, string mentions)
    {
        using var client = service.CreateClient();
        var header = BinaryHeader(1);
        var content = new ByteArrayContent([.. header, .. new byte[tensorBytes]]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", (claimedHeaderLength == 0 ? header.Length : claimedHeaderLength).ToString());
        var response = await client.PostAsync($"/v2/models/{service.ModelId}/infer", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABinaryBodyWithoutContentLengthIsReadToItsEnd()
    {
        // Chunked: the reader cannot size anything from Content-Length and must follow the stream.
        using var client = service.CreateClient();
        var digits = MnistDigits.Take(3);
        float[] flat = [.. digits.SelectMany(d => d.Pixels)];
        var body = new MemoryStream([.. BinaryHeader(digits.Count), .. MemoryMarshal.AsBytes(flat.AsSpan()).ToArray()]);
        var content = new StreamContent(new UnsizedStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", BinaryHeader(digits.Count).Length.ToString());
        var response = await client.PostAsync($"/v2/models/{service.ModelId}/infer", content);
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var labels = (await response.JsonAsync())["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "label")!["data"]!.AsArray();
        Assert.Equal(digits.Count, labels.Count);
    }

    private static byte[] BinaryHeader(int images) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { images, 784 }, parameters = new { binary_data_size = images * 784 * 4 } } },
    }));

    /// <summary>A stream that will not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnsizedStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task PixelsOutsideTheUnitRangeAreRefused()
    {
        using var client = service.CreateClient();
        var pixels = new float[784];
        pixels[100] = 1.5f;
        var response = await InferAsync(client, new { inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 1, 784 }, data = pixels } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[0, 1]", (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> InferAsync(HttpClient client, object body)
        => client.PostJsonAsync($"/v2/models/{service.ModelId}/infer", JsonSerializer.Serialize(body));
}
