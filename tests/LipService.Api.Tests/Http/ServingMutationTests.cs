using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Imaging;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Http;

/// <summary>
/// The generative test of <see cref="InferenceMutationTests"/> for /predict's JSON body, its multipart
/// upload and /attack, through real HTTP on 127.0.0.1: every answer is 2xx or a 4xx ProblemDetails
/// (application/problem+json), never a 5xx.
/// </summary>
[Collection(LoopbackServiceCollection.Name)]
public class ServingMutationTests(LoopbackServiceFixture service, ITestOutputHelper output)
{
    private const int Mutations = 300;

    private static readonly float[] Pixels = MnistDigits.Take(1)[0].Pixels;

    [Fact]
    public Task MutatedPredictJsonGets2xxOrProblemDetails() => MutateJsonAsync(
        18_002, "/predict", "POST /predict (JSON)", new { images = new[] { Pixels }, modelId = service.ModelId },
        ["", "?includeInput=true", "?includeInput=maybe", "?modelId=nope", "?includeInput=1&includeInput=2", "?modelId=" + new string('x', 3000)]);

    // Few steps: the valid ones among the mutations run a real attack each.
    [Fact]
    public Task MutatedAttacksGet2xxOrProblemDetails() => MutateJsonAsync(
        18_003, "/attack", "POST /attack", new { image = Pixels, modelId = service.ModelId, steps = 3 }, []);

    /// <summary>
    /// Posts <see cref="Mutations"/> seeded mutations of <paramref name="validBody"/> (after checking it
    /// answers 200), each with one of <paramref name="queries"/> when there are any (no draw otherwise,
    /// so a seed always gives the same mutations).
    /// </summary>
    private async Task MutateJsonAsync(int seed, string path, string name, object validBody, string[] queries)
    {
        var random = new Random(seed);
        var mutator = new JsonMutator(random);
        var run = new MutationRun(seed, output, MutationRun.ProblemDetails);
        var valid = JsonNode.Parse(JsonSerializer.Serialize(validBody))!;
        Assert.Equal(200, (await PostJson(path, valid.ToJsonString())).Status);
        int logLength = service.Log.Length;
        for (int i = 0; i < Mutations; i++)
        {
            var (text, what) = mutator.Mutate(valid);
            string query = queries.Length > 0 ? queries[random.Next(queries.Length)] : "";
            run.Record($"{what} {query}".TrimEnd(), await PostJson(path + query, text));
        }
        run.AssertNoFailures(name);
        Assert.Equal("", InferenceMutationTests.ServerErrors(service.Log[logLength..]));
    }

    [Fact]
    public async Task MutatedUploadsGet2xxOrProblemDetails()
    {
        const int seed = 18_004;
        var random = new Random(seed);
        var run = new MutationRun(seed, output, MutationRun.ProblemDetails);
        byte[] png = DigitImages.Png(MnistDigits.RawTestImage(0), scale: 2);
        const string boundary = "b0undary";
        Assert.Equal(200, (await PostForm(Form(boundary, [("files", "d.png", "image/png", png)]), boundary)).Status);
        int logLength = service.Log.Length;
        for (int i = 0; i < Mutations; i++)
        {
            var (body, declaredBoundary, what) = MutateUpload(random, png, boundary);
            run.Record(what, await PostForm(body, declaredBoundary));
        }
        run.AssertNoFailures("POST /predict (multipart)");
        Assert.Equal("", InferenceMutationTests.ServerErrors(service.Log[logLength..]));
    }

    private (byte[] Body, string Boundary, string What) MutateUpload(Random random, byte[] png, string boundary)
    {
        byte[] image = [.. png];
        string what;
        switch (random.Next(8))
        {
            case 0:
            {
                int at = random.Next(image.Length);
                image = image[..at];
                what = $"image cut at {at}";
                break;
            }
            case 1:
            {
                // The IHDR's width and height (bytes 16-23): huge, zero or odd sizes the decoder must weigh first.
                int at = 16 + random.Next(8);
                image[at] = (byte)random.Next(256);
                what = $"IHDR byte {at} = {image[at]}";
                break;
            }
            case 2:
            {
                int at = random.Next(image.Length);
                image[at] ^= (byte)(1 << random.Next(8));
                what = $"bit flip at {at}";
                break;
            }
            case 3:
            {
                byte[] whole = Form(boundary, [("files", "d.png", "image/png", image), ("modelId", null, null, Encoding.UTF8.GetBytes(service.ModelId))]);
                int at = random.Next(whole.Length);
                return (whole[..at], boundary, $"form cut at {at} of {whole.Length}");
            }
            case 4:
                return (Form(boundary, [("notfiles", "d.png", "image/png", image)]), boundary, "no part named files");
            case 5:
                return (Form(boundary, [("files", "d.png", "image/png", image)]), random.Next(2) == 0 ? "other" : "", "boundary mismatch");
            case 6:
            {
                string odd = new JsonMutator(random).Oddity();
                return (Form(boundary, [("files", "d.png", "image/png", image), ("modelId", null, null, Encoding.UTF8.GetBytes(odd))]), boundary, $"modelId {JsonMutator.Brief(odd)}");
            }
            default:
            {
                int count = 1 + random.Next(6);
                var parts = Enumerable.Range(0, count).Select(i => ("files", $"d{i}.png", i % 2 == 0 ? "image/png" : "text/plain", i == 0 ? image : Encoding.UTF8.GetBytes("not an image"))).ToArray();
                return (Form(boundary, [.. parts.Select(p => (p.Item1, (string?)p.Item2, (string?)p.Item3, p.Item4))]), boundary, $"{count} parts, some not images");
            }
        }
        return (Form(boundary, [("files", "d.png", "image/png", image)]), boundary, what);
    }

    private static byte[] Form(string boundary, (string Name, string? FileName, string? ContentType, byte[] Content)[] parts)
    {
        var body = new MemoryStream();
        foreach (var (name, fileName, contentType, content) in parts)
        {
            string disposition = fileName is null ? $"form-data; name=\"{name}\"" : $"form-data; name=\"{name}\"; filename=\"{fileName}\"";
            body.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: {disposition}\r\n{(contentType is null ? "" : $"Content-Type: {contentType}\r\n")}\r\n"));
            body.Write(content);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
        return body.ToArray();
    }

    private Task<RawHttp.Answer> PostForm(byte[] body, string boundary) =>
        RawHttp.SendAsync(service.Port, "POST", "/predict",
            [("Content-Type", boundary.Length == 0 ? "multipart/form-data" : $"multipart/form-data; boundary={boundary}"), ("Content-Length", body.Length.ToString())], body);

    private Task<RawHttp.Answer> PostJson(string path, string text)
    {
        byte[] body = MutationRun.Utf8(text);
        return RawHttp.SendAsync(service.Port, "POST", path, [("Content-Type", "application/json"), ("Content-Length", body.Length.ToString())], body);
    }
}
