using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Models of three or more classes through the HTTP contract: a short real training of a dense and
/// of a convolutional network, then their predictions and certificates.
/// </summary>
public sealed class MulticlassTests : IClassFixture<MulticlassTests.Service>
{
    private readonly Service service;

    public MulticlassTests(Service service) => this.service = service;

    /// <summary>One service and two small models trained on real MNIST digits 1, 7 and 3.</summary>
    public sealed class Service : IAsyncLifetime
    {
        public LipServiceFactory Factory { get; } = new();

        public JsonNode Dense { get; private set; } = null!;

        public JsonNode Conv { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            using var client = Factory.CreateClient();
            Dense = await client.TrainAsync("""{"classes": [1, 7, 3], "hidden": [64, 32], "epochs": 2, "seed": 5}""", TimeSpan.FromMinutes(3));
            Conv = await client.TrainAsync("""{"classes": [1, 7, 3], "architecture": "conv", "channels": [8], "hidden": [], "epochs": 1, "batchSize": 64, "seed": 6}""", TimeSpan.FromMinutes(3));
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task ModelsDescribeTheirClassesArchitectureAndBothBounds()
    {
        using var client = service.Factory.CreateClient();
        foreach (var (job, architecture) in new[] { (service.Dense, "dense"), (service.Conv, "conv") })
        {
            ApiClient.AssertStatus(job, "succeeded");
            var model = await client.GetFromJsonAsync<JsonNode>($"/models/{job["modelId"]!.GetValue<string>()}");
            Assert.Equal([1, 7, 3], model!["classes"]!.AsArray().Select(n => n!.GetValue<int>()));
            Assert.Equal(architecture, model["architecture"]!.GetValue<string>());
            Assert.Null(model["spec"]!["positiveClass"]);
            double upper = model["lipschitzBound"]!.GetValue<double>(), lower = model["lipschitzLowerBound"]!.GetValue<double>();
            Assert.True(lower > 0 && lower <= upper, $"{architecture}: lower bound {lower}, upper {upper}");
            Assert.True(upper <= 1 + 3e-3, $"{architecture}: bound {upper}");
            Assert.Equal("(top1 - top2)/(sqrt(2)*L)", model["certificate"]!.GetValue<string>());
            Assert.True(model["metrics"]!["valAccuracy"]!.GetValue<double>() > 0.9, $"{architecture}: {model["metrics"]}");
        }
    }

    [Fact]
    public async Task PredictionsGiveEveryScoreTheLabelAndTheMulticlassRadius()
    {
        using var client = service.Factory.CreateClient();
        var digits = TestDigits(30);
        foreach (var job in new[] { service.Dense, service.Conv })
        {
            string modelId = job["modelId"]!.GetValue<string>();
            var body = JsonSerializer.Serialize(new { modelId, images = digits.Select(d => d.Pixels) });
            var response = await client.PostJsonAsync("/predict", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await response.JsonAsync();
            Assert.Equal([1, 7, 3], answer["classes"]!.AsArray().Select(n => n!.GetValue<int>()));
            Assert.Null(answer["positiveClass"]);
            double bound = answer["lipschitzBound"]!.GetValue<double>();
            var predictions = answer["predictions"]!.AsArray();
            int correct = 0;
            for (int i = 0; i < digits.Count; i++)
            {
                var prediction = predictions[i]!;
                Assert.Null(prediction["score"]);
                var scores = prediction["scores"]!.AsArray().Select(n => n!.GetValue<float>()).ToArray();
                Assert.Equal(3, scores.Length);
                int top = Array.IndexOf(scores, scores.Max());
                Assert.Equal(new[] { 1, 7, 3 }[top], prediction["label"]!.GetValue<int>());
                var sorted = scores.OrderDescending().ToArray();
                // The radius is computed in float64 from the float32 scores the JSON carries exactly.
                Tolerance.Relative((sorted[0] - (double)sorted[1]) / (Math.Sqrt(2) * bound), prediction["certifiedRadius"]!.GetValue<double>(), 1e-12);
                if (prediction["label"]!.GetValue<int>() == digits[i].Label) correct++;
            }
            Assert.True(correct >= 27, $"{correct}/30 correct");
        }
    }

    [Fact]
    public async Task TheOpenInferenceProtocolAnswersEveryScoreAsPredictDoes()
    {
        using var client = service.Factory.CreateClient();
        var digits = TestDigits(6);
        string modelId = service.Conv["modelId"]!.GetValue<string>();
        var predict = await (await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { modelId, images = digits.Select(d => d.Pixels) }))).JsonAsync();
        var infer = await client.PostJsonAsync($"/v2/models/{modelId}/infer", JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 6, 784 }, data = digits.SelectMany(d => d.Pixels) } },
        }));
        var outputs = (await infer.JsonAsync())["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>(), o => o!);
        Assert.Equal("[6,3]", outputs["scores"]["shape"]!.ToJsonString());
        var scores = outputs["scores"]["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        for (int i = 0; i < 6; i++)
        {
            var expected = predict["predictions"]![i]!;
            Assert.Equal(expected["label"]!.GetValue<int>(), outputs["label"]["data"]![i]!.GetValue<long>());
            var own = expected["scores"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            // One pixel may differ by a float ulp between the two JSON readers (6e-8); through a
            // 1-Lipschitz network that moves a score by at most √784·6e-8 ≈ 1.7e-6.
            for (int k = 0; k < 3; k++) Tolerance.Absolute(own[k], scores[i * 3 + k], 2e-6);
            Tolerance.Absolute(expected["certifiedRadius"]!.GetValue<double>(), outputs["certified_radius"]["data"]![i]!.GetValue<double>(), 2e-6);
        }
    }

    [Fact]
    public async Task AnUploadedDigitIsAnsweredWithItsClassAndARadius()
    {
        using var client = service.Factory.CreateClient();
        var seven = TestDigits(40).First(d => d.Label == 7);
        using var form = new MultipartFormDataContent();
        var png = Imaging.DigitImages.Png(seven.Bytes, scale: 3, invert: true);
        form.Add(new ByteArrayContent(png), "files", "seven.png");
        form.Add(new StringContent(service.Dense["modelId"]!.GetValue<string>()), "modelId");
        var answer = await (await client.PostAsync("/predict", form)).JsonAsync();
        var prediction = answer["predictions"]![0]!;
        Assert.Equal(7, prediction["label"]!.GetValue<int>());
        Assert.True(prediction["certifiedRadius"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task TheDrawnThreeOfTheSamplesIsAThree()
    {
        // samples/digit-3.png is drawn with two arcs (samples/draw-three.py), not taken from MNIST.
        using var client = service.Factory.CreateClient();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "samples", "digit-3.png"))), "files", "digit-3.png");
        form.Add(new StringContent(service.Dense["modelId"]!.GetValue<string>()), "modelId");
        var prediction = (await (await client.PostAsync("/predict", form)).JsonAsync())["predictions"]![0]!;
        Assert.Equal(3, prediction["label"]!.GetValue<int>());
        Assert.True(prediction["certifiedRadius"]!.GetValue<double>() > 0.1, $"radius {prediction["certifiedRadius"]}");
    }

    /// <summary>The first test digits 1 and 7 (two thirds) and 3 (one third).</summary>
    private static List<(float[] Pixels, byte[] Bytes, int Label)> TestDigits(int count) =>
        [.. MnistDigits.TakeBytes(count - count / 3, 1, 7).Concat(MnistDigits.TakeBytes(count / 3, 3, 3))
            .Select(d => (d.Pixels.Select(b => b / 255f).ToArray(), d.Pixels, d.Label))];
}
