using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.EndToEnd;

/// <summary>The real executable over real HTTP on 127.0.0.1, with real MNIST, killed and restarted.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("lipservice-e2e-").FullName;

    [Fact]
    public async Task TrainsStreamsPredictsUploadsAndSurvivesSigkill()
    {
        using (var service = await ServiceProcess.StartAsync(dataDirectory))
        {
            var client = service.Client;

            // A short job, followed live over SSE.
            var created = await client.PostJsonAsync("/jobs", """{"epochs": 3, "seed": 42}""");
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            string firstId = (await created.JsonAsync())["id"]!.GetValue<string>();
            var events = await SseReader.ReadAllAsync(client, $"/jobs/{firstId}/metrics", null);
            Assert.Equal(["epoch:1", "epoch:2", "epoch:3", "status:"], events.Select(e => $"{e.Event}:{e.Id}"));
            var finished = JsonNode.Parse(events[^1].Data)!;
            ApiClient.AssertStatus(finished, "succeeded");

            // PNG digits rendered from MNIST test images.
            var digits = MnistDigits.TakeBytes(30);
            using var form = new MultipartFormDataContent();
            foreach (var (pixels, i) in digits.Select((d, i) => (d.Pixels, i)))
            {
                var part = new ByteArrayContent(Imaging.DigitImages.Png(pixels, scale: i % 3 + 1, invert: i % 2 == 1));
                part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                form.Add(part, "files", $"digit-{i}.png");
            }
            var answer = await (await client.PostAsync("/predict", form)).JsonAsync();
            double bound = answer["lipschitzBound"]!.GetValue<double>();
            var predictions = answer["predictions"]!.AsArray();
            int correct = Enumerable.Range(0, digits.Count).Count(i => predictions[i]!["label"]!.GetValue<int>() == digits[i].Label);
            Assert.True(correct >= 27, $"{correct}/30 uploads recognised");
            // The JSON score is the float32 score's shortest round-trip decimal, within half a float32
            // ulp of the value the radius was computed from; the division adds a float64 rounding.
            Assert.All(predictions, p => Tolerance.Relative(Math.Abs(p!["score"]!.GetValue<double>()) / bound, p["certifiedRadius"]!.GetValue<double>(), Tolerance.Float32Epsilon));

            // Kestrel enforces the body limit from the declared length: 413, not 500.
            Assert.StartsWith("HTTP/1.1 413", await RawStatusLineAsync(service.Port, "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 34603008\r\n\r\n"));

            // A longer job, killed mid-way.
            var second = await client.PostJsonAsync("/jobs", """{"epochs": 25, "seed": 7}""");
            string secondId = (await second.JsonAsync())["id"]!.GetValue<string>();
            await WaitForEpochsAsync(client, secondId, 3);
            service.Kill();
        }

        using (var restarted = await ServiceProcess.StartAsync(dataDirectory))
        {
            var client = restarted.Client;
            var jobs = (await client.GetFromJsonAsync<JsonNode>("/jobs"))!["items"]!.AsArray();
            string secondId = jobs[0]!["id"]!.GetValue<string>();
            int resumedFrom = jobs[0]!["epochsCompleted"]!.GetValue<int>();
            Assert.InRange(resumedFrom, 3, 24);

            var events = await SseReader.ReadAllAsync(client, $"/jobs/{secondId}/metrics", null);
            var epochIds = events.Where(e => e.Event == "epoch").Select(e => int.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(1, 25), epochIds);
            Assert.Equal("succeeded", JsonNode.Parse(events[^1].Data)!["status"]!.GetValue<string>());

            var metrics = (await client.GetFromJsonAsync<JsonNode>($"/jobs/{secondId}/metrics"))!["epochs"]!.AsArray();
            Assert.Equal(Enumerable.Range(1, 25), metrics.Select(m => m!["epoch"]!.GetValue<int>()));
            Assert.Contains("Re-queued job " + secondId, restarted.Log);

            // The first model still answers after the restart.
            var models = (await client.GetFromJsonAsync<JsonNode>("/models"))!["items"]!.AsArray();
            Assert.Equal(2, models.Count);
            var single = JsonSerializer.Serialize(new { images = new[] { MnistDigits.Take(1)[0].Pixels }, modelId = models[1]!["id"]!.GetValue<string>() });
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/predict", single)).StatusCode);
        }
    }

    [Theory]
    // The notebook's binary dense model, and a three-class convolutional one (libtorch serves every
    // prediction). The convolutional jobs' RSS grows over the first jobs and then stays: measured
    // 491 → 591 → 731 → 796 MiB after jobs 1, 2, 3 and 6, then 772–849 MiB up to job 14 (glibc's two
    // arenas, trimmed at each job's end: see NativeHeap), so its baseline comes later.
    [InlineData("""{"epochs": 2, "seed": SEED}""", 2)]
    [InlineData("""{"classes": [1, 7, 3], "architecture": "conv", "channels": [4], "hidden": [], "epochs": 1, "batchSize": 256, "seed": SEED}""", 6)]
    public async Task MemoryStaysFlatOverTenJobsAndAHundredThousandPredictions(string spec, int warmUpJobs)
    {
        using var service = await ServiceProcess.StartAsync(dataDirectory);
        var client = service.Client;
        var batch = JsonSerializer.Serialize(new { images = MnistDigits.Take(100).Select(d => d.Pixels) });
        var single = JsonSerializer.Serialize(new { images = new[] { MnistDigits.Take(1)[0].Pixels } });
        // The baseline is taken once every path has run a few times (trainings, 200 rounds of both
        // prediction paths), so that the managed heap and libtorch's allocator have reached the
        // sizes they keep; measured from one job, the growth of the heaps alone came near 10% when
        // other test assemblies ran beside this one. A leak of interest is far larger: a job's
        // training data is 37 MB, 101,000 digits' pixels 316 MB.
        for (int job = 1; job <= warmUpJobs; job++) await client.TrainAsync(spec.Replace("SEED", $"{job}"));
        await PredictAsync(client, batch, single, rounds: 200);
        long afterWarmUp = service.ResidentBytes();

        int jobs = warmUpJobs + 8;
        for (int job = warmUpJobs + 1; job <= jobs; job++) await client.TrainAsync(spec.Replace("SEED", $"{job}"));
        // 1,000 requests of 100 digits and 1,000 single digits = 101,000 predictions.
        await PredictAsync(client, batch, single, rounds: 1000);
        long afterAll = service.ResidentBytes();

        Assert.True(afterAll <= afterWarmUp * 1.10, $"RSS grew from {afterWarmUp / 1048576} MiB to {afterAll / 1048576} MiB");
        Assert.Equal(jobs, (await client.GetFromJsonAsync<JsonNode>("/models"))!["total"]!.GetValue<int>());
    }

    private static async Task PredictAsync(HttpClient client, string batch, string single, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            (await client.PostJsonAsync("/predict", batch)).EnsureSuccessStatusCode();
            (await client.PostJsonAsync("/predict", single)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Sends a request head without its body and reads the status line (HttpClient would fail writing the body the server refuses).</summary>
    private static async Task<string> RawStatusLineAsync(int port, string head)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream);
        return await reader.ReadLineAsync() ?? "";
    }

    private static async Task WaitForEpochsAsync(HttpClient client, string id, int epochs)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}"))!["epochsCompleted"]!.GetValue<int>() < epochs)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {id} did not reach epoch {epochs}.");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
