using System.Text;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>
/// A length a client declares (Content-Length, Inference-Header-Content-Length) is a claim, not an
/// allocation: one over the endpoint's limit is refused before anything is sized from it.
/// </summary>
[Collection(LoopbackServiceCollection.Name)]
public class DeclaredLengthTests(LoopbackServiceFixture service)
{
    [Fact]
    public async Task AHugeContentLengthWithAOneByteBodyIs413WithTheProtocolsError()
    {
        var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer",
            [("Content-Type", "application/json"), ("Content-Length", "2147483647")], "{"u8.ToArray());
        Assert.True(answer.Status == 413, answer.ToString());
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(answer.Text)!["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AHugeInferenceHeaderLengthOnAChunkedBodyIsRefusedNamingTheHeader()
    {
        var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer",
            [("Content-Type", "application/octet-stream"), ("Transfer-Encoding", "chunked"), ("Inference-Header-Content-Length", "2147483647")],
            RawHttp.Chunked("{\"inputs\": []}"u8));
        Assert.True(answer.Status is 413 or 400, answer.ToString());
        Assert.Contains("Inference-Header-Content-Length", JsonNode.Parse(answer.Text)!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task AHeaderLengthWithinTheLimitButBeyondTheBodyIs400AndAllocatesOnlyWhatArrives()
    {
        // 30 MB claimed, 14 bytes sent: the reader must follow the bytes, not the claim.
        long before = service.ResidentBytes();
        for (int i = 0; i < 20; i++)
        {
            var answer = await RawHttp.SendAsync(service.Port, "POST", $"/v2/models/{service.ModelId}/infer",
                [("Content-Type", "application/octet-stream"), ("Transfer-Encoding", "chunked"), ("Inference-Header-Content-Length", "30000000")],
                RawHttp.Chunked("{\"inputs\": []}"u8));
            Assert.True(answer.Status == 400, answer.ToString());
            Assert.Contains("ended after 14 bytes", JsonNode.Parse(answer.Text)!["error"]!.GetValue<string>());
        }
        Assert.True(service.ResidentBytes() - before < 64L << 20, $"RSS grew from {before >> 20} MiB to {service.ResidentBytes() >> 20} MiB");
    }

    [Theory]
    [InlineData("/predict")]
    [InlineData("/attack")]
    public async Task AHugeContentLengthOnTheJsonEndpointsIs413ProblemDetails(string path)
    {
        var answer = await RawHttp.SendAsync(service.Port, "POST", path,
            [("Content-Type", "application/json"), ("Content-Length", "2147483647")], "{"u8.ToArray());
        Assert.True(answer.Status == 413, answer.ToString());
        Assert.StartsWith("application/problem+json", answer.ContentType);
    }

    [Fact]
    public async Task AChunkedJsonBodyBeyondTheLimitIs413()
    {
        // No length declared at all: the limit is enforced on the bytes as they arrive.
        var body = Encoding.ASCII.GetBytes("{\"images\": [[" + new string(' ', 300_000) + "]]}");
        var answer = await RawHttp.SendAsync(service.Port, "POST", "/attack",
            [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")], RawHttp.Chunked(body, 65536));
        Assert.True(answer.Status == 413, answer.ToString());
    }
}
