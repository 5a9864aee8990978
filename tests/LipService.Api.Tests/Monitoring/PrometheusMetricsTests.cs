using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Monitoring;

/// <summary>
/// /metrics after real traffic: a real two-epoch job, predictions of real MNIST digits as JSON, as
/// uploads and through the Open Inference Protocol (JSON and binary tensors), and requests the rate
/// limit refuses. Prometheus's own linter accepts the exposition,
/// and each counter moves by exactly what was done.
/// </summary>
public sealed class PrometheusMetricsTests(PrometheusMetricsTests.KeyedLimitedFactory factory) : IClassFixture<PrometheusMetricsTests.KeyedLimitedFactory>
{
    private const int Epochs = 2;

    [Fact]
    public async Task ExpositionPassesPromtoolAndCountersFollowTheTraffic()
    {
        // No API key: Prometheus scrapes like a health check.
        using var scraper = factory.CreateClient();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", KeyedLimitedFactory.ApiKey);
        var before = await ScrapeAsync(scraper);

        var job = await client.TrainAsync($$"""{"epochs": {{Epochs}}, "seed": 42}""");
        ApiClient.AssertStatus(job, "succeeded");
        string jobId = job["id"]!.GetValue<string>(), modelId = job["modelId"]!.GetValue<string>();
        var epochSeconds = (await client.GetFromJsonAsync<JsonNode>($"/jobs/{jobId}/metrics", ApiClient.Json))!["epochs"]!.AsArray().Select(e => e!["seconds"]!.GetValue<double>()).ToList();

        // Whatever the bucket lets through is tallied from the answers, so a refill between requests changes nothing.
        var traffic = new Traffic();
        await traffic.SendAsync(client.PostJsonAsync("/predict", Pixels(3)), "json", 3);
        await traffic.SendAsync(client.PostAsync("/predict", Uploads(2)), "upload", 2);
        await traffic.SendInferAsync(client.PostJsonAsync($"/v2/models/{modelId}/infer", InferJson(2)), "v2_json", 2);
        await traffic.SendInferAsync(client.PostAsync($"/v2/models/{modelId}/infer", InferBinary(3)), "v2_binary", 3);
        for (int i = 0; i < 10 && traffic.Refused == 0; i++)
            await traffic.SendAsync(client.PostJsonAsync("/predict", Pixels(KeyedLimitedFactory.PermitsPerSecond)), "json", KeyedLimitedFactory.PermitsPerSecond);
        Assert.True(traffic.Requests.Values.All(n => n >= 1), "the first requests fit in a full bucket");
        Assert.True(traffic.Refused >= 1, "a full second's digits after others exceed the bucket");

        // The runner counts its job right after storing it; give it that moment.
        var after = await ScrapeAsync(scraper);
        for (int i = 0; i < 50 && Delta(before, after, "lipservice_training_jobs_finished_total", ("status", "succeeded")) == 0; i++)
        {
            await Task.Delay(100);
            after = await ScrapeAsync(scraper);
        }

        var (exitCode, lint) = await Promtool.CheckMetricsAsync(after.Text);
        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{lint}");

        foreach (var input in traffic.Requests.Keys)
        {
            Assert.Equal(traffic.Requests[input], Delta(before, after, "lipservice_predict_requests_total", ("input", input)));
            Assert.Equal(traffic.Digits[input], Delta(before, after, "lipservice_predict_digits_total", ("input", input)));
        }
        Assert.Equal(traffic.Refused, Delta(before, after, "lipservice_rate_limited_requests_total"));

        // One radius per answered digit, each in its bucket; the sum is what the answers said.
        var radii = traffic.Radii;
        Assert.Equal(radii.Count, Delta(before, after, "lipservice_predict_certified_radius_count"));
        foreach (double bound in new[] { 0.3, 1.0, 1.58, 3.0 })
            Assert.Equal(radii.Count(r => r <= bound), after.Bucket("lipservice_predict_certified_radius", bound) - before.Bucket("lipservice_predict_certified_radius", bound));
        AssertClose(radii.Sum(), Delta(before, after, "lipservice_predict_certified_radius_sum"));

        Assert.Equal(Epochs, Delta(before, after, "lipservice_training_epochs_total"));
        Assert.Equal(Epochs, Delta(before, after, "lipservice_training_epoch_duration_seconds_count"));
        AssertClose(epochSeconds.Sum(), Delta(before, after, "lipservice_training_epoch_duration_seconds_sum"));
        Assert.Equal(1, Delta(before, after, "lipservice_training_jobs_finished_total", ("status", "succeeded")));
        Assert.Equal(0, after.Sum("lipservice_training_jobs_finished_total", ("status", "failed")) + after.Sum("lipservice_training_jobs_finished_total", ("status", "cancelled")));
        Assert.Equal(1, after.Sum("lipservice_training_jobs", ("status", "succeeded")));
        Assert.Equal(0, after.Sum("lipservice_training_jobs", ("status", "queued")));

        // HTTP timings by route template and status code; ids never become label values.
        var predict = new[] { ("endpoint", "/predict"), ("method", "POST") };
        Assert.Equal(traffic.Requests["json"] + traffic.Requests["upload"], Delta(before, after, "http_request_duration_seconds_count", [.. predict, ("code", "200")]));
        Assert.Equal(traffic.Requests["v2_json"] + traffic.Requests["v2_binary"],
            Delta(before, after, "http_request_duration_seconds_count", ("endpoint", "/v2/models/{name}/infer"), ("method", "POST"), ("code", "200")));
        Assert.Equal(traffic.Refused, Delta(before, after, "http_request_duration_seconds_count", [.. predict, ("code", "429")]));
        Assert.True(after.Sum("http_request_duration_seconds_count", ("endpoint", "/jobs/{id}"), ("code", "200")) >= 1);
        Assert.DoesNotContain(jobId, after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(modelId, after.Text, StringComparison.Ordinal);

        // The runtime's own: CPU time, memory, collections.
        Assert.True(after.Sum("process_cpu_seconds_total") > 0);
        Assert.True(after.Sum("process_working_set_bytes") > 0);
        Assert.NotEmpty(after.Samples("dotnet_collection_count_total"));
    }

    private static double Delta(Exposition before, Exposition after, string name, params (string Key, string Value)[] labels)
        => after.Sum(name, labels) - before.Sum(name, labels);

    /// <summary>Sums in a different order differ in the last bits; a relative error of 1e-9 is far below any real miscount.</summary>
    private static void AssertClose(double expected, double actual)
        => Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private static async Task<Exposition> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new Exposition(await response.Content.ReadAsStringAsync());
    }

    private static string Pixels(int count) => JsonSerializer.Serialize(new { images = MnistDigits.Take(count).Select(d => d.Pixels) });

    private static string InferJson(int count) => JsonSerializer.Serialize(new
    {
        inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { count, 784 }, data = MnistDigits.Take(count).SelectMany(d => d.Pixels) } },
    });

    /// <summary>Binary tensor data in, JSON outputs back (the radii are read from them).</summary>
    private static ByteArrayContent InferBinary(int count)
    {
        float[] pixels = [.. MnistDigits.Take(count).SelectMany(d => d.Pixels)];
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { count, 784 }, parameters = new { binary_data_size = pixels.Length * 4 } } },
        });
        var content = new ByteArrayContent([.. header, .. System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    private static MultipartFormDataContent Uploads(int count)
    {
        var form = new MultipartFormDataContent();
        byte[] png = File.ReadAllBytes(RepositoryPaths.File("samples", "digit-0.png"));
        for (int i = 0; i < count; i++)
        {
            var file = new ByteArrayContent(png);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "files", $"digit-{i}.png");
        }
        return form;
    }

    /// <summary>What the service answered: requests and digits by input kind, radii, refusals.</summary>
    private sealed class Traffic
    {
        public Dictionary<string, int> Requests { get; } = new() { ["json"] = 0, ["upload"] = 0, ["v2_json"] = 0, ["v2_binary"] = 0 };

        public Dictionary<string, int> Digits { get; } = new() { ["json"] = 0, ["upload"] = 0, ["v2_json"] = 0, ["v2_binary"] = 0 };

        public List<double> Radii { get; } = [];

        public int Refused { get; private set; }

        public async Task SendAsync(Task<HttpResponseMessage> sending, string input, int digits)
        {
            using var response = await sending;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Refused++;
                return;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var predictions = (await response.JsonAsync())["predictions"]!.AsArray();
            Assert.Equal(digits, predictions.Count);
            Requests[input]++;
            Digits[input] += digits;
            Radii.AddRange(predictions.Select(p => p!["certifiedRadius"]!.GetValue<double>()));
        }

        /// <summary>An Open Inference Protocol infer: the radii are its certified_radius output.</summary>
        public async Task SendInferAsync(Task<HttpResponseMessage> sending, string input, int digits)
        {
            using var response = await sending;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var outputs = (await response.JsonAsync())["outputs"]!.AsArray();
            var radii = outputs.Single(o => o!["name"]!.GetValue<string>() == "certified_radius")!["data"]!.AsArray();
            Assert.Equal(digits, radii.Count);
            Requests[input]++;
            Digits[input] += digits;
            Radii.AddRange(radii.Select(r => r!.GetValue<double>()));
        }
    }

    public sealed class KeyedLimitedFactory : LipServiceFactory
    {
        public const string ApiKey = "s3cret";

        public const int PermitsPerSecond = 20;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["ApiKey"] = ApiKey,
            ["Serving:PredictPermitsPerSecond"] = PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
