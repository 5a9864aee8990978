using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace LipService.Api.Tests.Http;

/// <summary>
/// What the protocol's clients send as Content-Type: Triton's Python HTTP client none at all (JSON or
/// binary), its C++ client application/octet-stream (JSON or binary), KServe's REST client
/// application/octet-stream for binary and none for JSON. Each must be answered.
/// </summary>
[Collection(LoopbackServiceCollection.Name)]
public class InferenceContentTypeTests(LoopbackServiceFixture service)
{
    private static readonly float[] Pixels = MnistDigits.Take(1)[0].Pixels;

    private static byte[] JsonBody() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 1, 784 }, data = Pixels } },
    });

    private static (byte[] Body, int HeaderLength) BinaryBody()
    {
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 1, 784 }, parameters = new { binary_data_size = 784 * 4 } } },
        });
        return ([.. header, .. MemoryMarshal.AsBytes(Pixels.AsSpan()).ToArray()], header.Length);
    }

    [Fact]
    public async Task ABinaryRequestWithoutContentTypeIsAnswered()
    {
        var (body, headerLength) = BinaryBody();
        var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer",
            [("Content-Length", body.Length.ToString()), ("Inference-Header-Content-Length", headerLength.ToString())], body);
        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Contains("\"label\"", answer.Text);
    }

    [Fact]
    public async Task AChunkedBinaryRequestWithoutContentTypeIsAnswered()
    {
        var (body, headerLength) = BinaryBody();
        var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer",
            [("Transfer-Encoding", "chunked"), ("Inference-Header-Content-Length", headerLength.ToString())], RawHttp.Chunked(body));
        Assert.True(answer.Status == 200, answer.ToString());
    }

    [Fact]
    public async Task AJsonRequestWithoutContentTypeIsAnswered()
    {
        byte[] body = JsonBody();
        var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer", [("Content-Length", body.Length.ToString())], body);
        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Contains("\"label\"", answer.Text);
    }

    [Fact]
    public async Task AJsonOnlyRequestSentAsOctetStreamWithItsHeaderLengthIsAnswered()
    {
        byte[] body = JsonBody();
        var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer",
            [("Content-Type", "application/octet-stream"), ("Content-Length", body.Length.ToString()), ("Inference-Header-Content-Length", body.Length.ToString())], body);
        Assert.True(answer.Status == 200, answer.ToString());
    }

    [Fact]
    public async Task AnotherContentTypeIsStill415WithTheProtocolsError()
    {
        var response = await service.Client.PostAsync($"/v2/models/{service.ModelId}/infer", new ByteArrayContent(JsonBody()) { Headers = { { "Content-Type", "text/plain" } } });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentSaysTheContentTypeMayBeLeftOut()
    {
        string document = await service.Client.GetStringAsync("/swagger/v1/swagger.json");
        using var json = JsonDocument.Parse(document);
        var infer = json.RootElement.GetProperty("paths").GetProperty("/v2/models/{name}/infer").GetProperty("post");
        Assert.Contains("Content-Type", infer.GetProperty("description").GetString());
        var content = infer.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _) && content.TryGetProperty("application/octet-stream", out _), document.Length.ToString());
    }
}
