using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Http;

/// <summary>
/// A generative test of POST /v2/models/{name}/infer through real HTTP on 127.0.0.1: from one valid
/// JSON and one valid binary request, over a thousand seeded mutations (see <see cref="JsonMutator"/>,
/// and for the binary body every truncation of its JSON header, truncations along its tensor, and
/// lengths and headers that disagree with the body). Every answer is 2xx or a 4xx with the protocol's
/// {"error"}, the server logs no 5xx, and its resident memory stays within a stated bound.
/// </summary>
[Collection(LoopbackServiceCollection.Name)]
public class InferenceMutationTests(LoopbackServiceFixture service, ITestOutputHelper output)
{
    private const int Seed = 18_001;
    private const int JsonMutations = 600;
    private const int HeaderMutations = 150;

    /// <summary>
    /// Growth of the server's RSS over the run, after a warm-up of valid requests. Every mutated body
    /// is under 20 KB and the server keeps nothing per request; what may grow is the pools (ArrayPool
    /// keeps a few buffers per size class per core, 64 KiB JSON buffers and ≤ 8 KB pixel arrays here),
    /// Kestrel's slab memory for concurrent connections (one at a time here) and the GC's gen-0 budget,
    /// which workstation GC on 2 cores keeps at a few MB. 48 MiB is several times that and far below
    /// one buffer sized from a claimed length (30 MB to 2 GB in these mutations).
    /// </summary>
    private const long RssGrowthBound = 48L << 20;

    private static readonly float[] Pixels = MnistDigits.Take(1)[0].Pixels;

    [Fact]
    public async Task MutatedJsonAndBinaryRequestsGet2xxOrTheProtocolsErrorAndMemoryStaysBounded()
    {
        var random = new Random(Seed);
        var mutator = new JsonMutator(random);
        var run = new MutationRun(Seed, output, MutationRun.ProtocolError);
        string path = $"/v2/models/{service.ModelId}/infer";
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new
        {
            id = "m",
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 1, 784 }, data = Pixels } },
            outputs = new object[] { new { name = "label" }, new { name = "scores", parameters = new { binary_data = false } } },
            parameters = new { binary_data_output = false },
        }))!;
        var header = JsonNode.Parse("""{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "parameters": {"binary_data_size": 3136}}], "outputs": [{"name": "label", "parameters": {"binary_data": true}}]}""")!;
        byte[] headerBytes = MutationRun.Utf8(header.ToJsonString());
        byte[] tensor = MemoryMarshal.AsBytes(Pixels.AsSpan()).ToArray();
        byte[] binary = [.. headerBytes, .. tensor];

        // Warm-up: the valid forms answer 200, and the memory baseline is taken after them.
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await PostJson(path, json.ToJsonString())).Status);
            Assert.Equal(200, (await PostBinary(path, binary, headerBytes.Length.ToString())).Status);
        }
        long before = service.ResidentBytes();
        int logLength = service.Log.Length;

        for (int i = 0; i < JsonMutations; i++)
        {
            var (text, what) = mutator.Mutate(json);
            string contentType = random.Next(8) == 0 ? "" : "application/json";
            run.Record($"json {what} [{contentType}]", await PostJson(path, text, contentType));
        }

        // Every truncation inside the JSON header and at its end, each sent two ways: a short body
        // that says so (Content-Length of the prefix), and one whose header length still claims the whole header.
        for (int at = 0; at <= headerBytes.Length; at++)
        {
            run.Record($"binary cut at {at}, header length {at}", await PostBinary(path, binary[..at], at.ToString()));
            run.Record($"binary cut at {at}, header length {headerBytes.Length}", await PostBinary(path, binary[..at], headerBytes.Length.ToString()));
        }
        // Along the tensor: on and off the float boundaries, and the last byte.
        for (int at = headerBytes.Length + 1; at < binary.Length; at += 61)
            run.Record($"binary cut at {at} in the tensor", await PostBinary(path, binary[..at], headerBytes.Length.ToString()));
        run.Record("binary without its last byte", await PostBinary(path, binary[..^1], headerBytes.Length.ToString()));
        run.Record("binary with one byte more", await PostBinary(path, [.. binary, 0], headerBytes.Length.ToString()));

        foreach (string claim in new[]
        {
            (headerBytes.Length + 1).ToString(), (headerBytes.Length - 1).ToString(), "0", "1", binary.Length.ToString(), (binary.Length + 1).ToString(),
            "2147483647", "2147483648", "9223372036854775807", "18446744073709551616", "99999999999999999999999", "30000000",
            "-1", "-0", "abc", "", " 12", "12 ", "1.5", "0x10", "+12", "1e3", "\u0661\u0662", $"{headerBytes.Length}, {headerBytes.Length}",
        })
        {
            run.Record($"header length '{claim}'", await PostBinary(path, binary, claim));
            run.Record($"header length '{claim}', chunked", await PostBinary(path, binary, claim, chunked: true));
        }

        foreach (long contentLength in new long[] { binary.Length + 1, binary.Length + 4096, 2_147_483_647, 40_000_000 })
            run.Record($"Content-Length {contentLength} for {binary.Length} bytes", await SendRaw(path, binary, headerBytes.Length.ToString(), contentLength.ToString(), endInput: true), mayClose: true);
        foreach (long contentLength in new long[] { binary.Length - 1, headerBytes.Length, 0 })
            run.Record($"Content-Length {contentLength} for {binary.Length} bytes", await SendRaw(path, binary, headerBytes.Length.ToString(), contentLength.ToString()));

        for (int i = 0; i < HeaderMutations; i++)
        {
            var (text, what) = mutator.Mutate(header);
            byte[] mutated = MutationRun.Utf8(text);
            bool chunked = random.Next(4) == 0;
            run.Record($"binary header {what}{(chunked ? ", chunked" : "")}", await PostBinary(path, [.. mutated, .. tensor], mutated.Length.ToString(), chunked));
        }

        foreach (float odd in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.5f, 1.0001f, float.Epsilon, -0f, float.MaxValue })
        {
            byte[] spoiled = [.. binary];
            BitConverter.TryWriteBytes(spoiled.AsSpan(headerBytes.Length + 4 * random.Next(784)), odd);
            run.Record($"a pixel {odd}", await PostBinary(path, spoiled, headerBytes.Length.ToString()));
        }

        long after = service.ResidentBytes();
        output.WriteLine($"RSS {before >> 20} MiB before the mutations, {after >> 20} MiB after ({(after - before) / 1024} KiB growth; bound {RssGrowthBound >> 20} MiB)");
        run.AssertNoFailures("POST /v2/models/{name}/infer");
        Assert.True(run.Count >= 1000, $"{run.Count} mutations");
        Assert.DoesNotContain(" 500 ", ServerErrors(service.Log[logLength..]));
        Assert.True(after - before < RssGrowthBound, $"RSS grew {(after - before) >> 20} MiB ({before >> 20} → {after >> 20} MiB)");
    }

    /// <summary>The request log's lines for 5xx answers and unhandled exceptions, if any.</summary>
    internal static string ServerErrors(string log) =>
        string.Join("\n", log.Split('\n').Where(line => line.Contains("responded 5", StringComparison.Ordinal) || line.Contains("Unhandled", StringComparison.Ordinal) || line.Contains("[ERR]", StringComparison.Ordinal)));

    private Task<RawHttp.Answer> PostJson(string path, string text, string contentType = "application/json")
    {
        byte[] body = MutationRun.Utf8(text);
        var headers = new List<(string, string)> { ("Content-Length", body.Length.ToString()) };
        if (contentType.Length > 0) headers.Add(("Content-Type", contentType));
        return RawHttp.SendAsync(service.Port, "POST", path, headers, body);
    }

    private Task<RawHttp.Answer> PostBinary(string path, byte[] body, string headerLength, bool chunked = false) =>
        chunked
            ? RawHttp.SendAsync(service.Port, "POST", path, [("Content-Type", "application/octet-stream"), ("Transfer-Encoding", "chunked"), ("Inference-Header-Content-Length", headerLength)], RawHttp.Chunked(body, 97))
            : SendRaw(path, body, headerLength, body.Length.ToString());

    private Task<RawHttp.Answer> SendRaw(string path, byte[] body, string headerLength, string contentLength, bool endInput = false) =>
        RawHttp.SendAsync(service.Port, "POST", path,
            [("Content-Type", "application/octet-stream"), ("Content-Length", contentLength), ("Inference-Header-Content-Length", headerLength)], body, endInput);
}
