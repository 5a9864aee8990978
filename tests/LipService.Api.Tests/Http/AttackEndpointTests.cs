using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Http;

/// <summary>
/// POST /attack on two small models trained on real MNIST through the API: the nearest relabelled
/// image it answers really has another label, never lies inside the certified radius, and costs
/// bounded work; user errors are ProblemDetails.
/// </summary>
public sealed class AttackEndpointTests(AttackEndpointTests.Service service, ITestOutputHelper output) : IClassFixture<AttackEndpointTests.Service>
{
    private const int Images = 100;

    /// <summary>A 0-vs-8 model (two classes, one score) and a 1/7/3 model (three scores), the latter trained last so it is the newest.</summary>
    public sealed class Service : IAsyncLifetime
    {
        public LipServiceFactory Factory { get; } = new();

        public string Binary { get; private set; } = null!;

        public string Multiclass { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            using var client = Factory.CreateClient();
            Binary = ModelId(await client.TrainAsync("""{"epochs": 2, "seed": 42}""", TimeSpan.FromMinutes(3)));
            Multiclass = ModelId(await client.TrainAsync("""{"classes": [1, 7, 3], "hidden": [64, 32], "epochs": 2, "seed": 5}""", TimeSpan.FromMinutes(3)));
        }

        /// <summary>The same data folder (so the same models) behind a service with other settings.</summary>
        public WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) => Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }

        /// <summary>The model of a job <see cref="ApiClient.TrainAsync"/> has already checked succeeded.</summary>
        private static string ModelId(JsonNode job) => job["modelId"]!.GetValue<string>();
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass")]
    public async Task EveryFlipFoundRelabelsThroughPredictAndLiesBeyondTheCertifiedRadius(string kind)
    {
        string modelId = kind == "binary" ? service.Binary : service.Multiclass;
        var digits = kind == "binary"
            ? MnistDigits.Take(Images).Select(d => d.Pixels).ToList()
            : [.. MnistDigits.TakeBytes(Images - Images / 3, 1, 7).Concat(MnistDigits.TakeBytes(Images / 3, 3, 3)).Select(d => d.Pixels.Select(b => b / 255f).ToArray())];
        using var client = service.Factory.CreateClient();
        var ratios = new List<double>();
        double slowest = 0;
        int totalSteps = 0;
        foreach (var image in digits)
        {
            var response = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId, image }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await response.JsonAsync();
            Assert.Equal(modelId, answer["modelId"]!.GetValue<string>());
            var attack = answer["attack"]!;
            double radius = answer["certifiedRadius"]!.GetValue<double>();
            int label = answer["label"]!.GetValue<int>();
            int steps = attack["steps"]!.GetValue<int>();
            Assert.InRange(steps, 1, 200);
            totalSteps += steps;
            slowest = Math.Max(slowest, attack["elapsedMs"]!.GetValue<double>());

            bool found = attack["found"]!.GetValue<bool>();
            float[]? adversarial = found ? attack["image"]!.AsArray().Select(p => p!.GetValue<float>()).ToArray() : null;
            // The image through /predict alone, as /attack scores it: the same scores, label and radius.
            // (A multiclass batch is scored by libtorch in one call, whose float32 sums may round otherwise.)
            var predicted = await PredictAsync(client, modelId, image);
            var original = predicted["predictions"]![0]!;
            Assert.Equal(original["certifiedRadius"]!.GetValue<double>(), radius);
            Assert.Equal(original["label"]!.GetValue<int>(), label);
            var scores = answer["scores"]!.AsArray().Select(s => s!.GetValue<float>()).ToArray();
            Assert.Equal(kind == "binary" ? [original["score"]!.GetValue<float>()] : original["scores"]!.AsArray().Select(s => s!.GetValue<float>()).ToArray(), scores);
            Assert.Equal(answer["lipschitzBound"]!.GetValue<double>(), predicted["lipschitzBound"]!.GetValue<double>());

            if (adversarial is null)
            {
                Assert.Null(attack["image"]);
                Assert.Null(attack["distance"]);
                Assert.Null(attack["label"]);
                continue;
            }
            // The exact float32 image returned, through /predict: another label.
            int flippedTo = (await PredictAsync(client, modelId, adversarial))["predictions"]![0]!["label"]!.GetValue<int>();
            Assert.NotEqual(label, flippedTo);
            Assert.Equal(flippedTo, attack["label"]!.GetValue<int>());
            Assert.Equal(784, adversarial.Length);
            Assert.All(adversarial, p => Assert.InRange(p, 0f, 1f));

            double distance = attack["distance"]!.GetValue<double>();
            double sum = 0;
            for (int i = 0; i < image.Length; i++) sum += ((double)adversarial[i] - image[i]) * ((double)adversarial[i] - image[i]);
            // Both sides sum the same float64 squares in the same order; the allowance only covers a
            // different rounding of Math.Sqrt's argument should the JIT fuse a multiply-add.
            Tolerance.Relative(Math.Sqrt(sum), distance, 1e-12);
            // The certificate: no image nearer than the radius can have another label.
            Assert.True(distance >= radius, $"a flip at {distance:R} inside the certified radius {radius:R}");
            // The flip lies in the largest ball tried, up to float32 rounding of x + δ (√784 · 2⁻²⁴ ≈ 1.7e-6)
            // and of the budget (2⁻²⁴ relative).
            double searched = attack["searchedRadius"]!.GetValue<double>();
            Assert.True(distance <= searched * (1 + 1e-7) + 2e-6, $"a flip at {distance:R} outside the largest budget {searched:R}");
            ratios.Add(distance / radius);
        }

        ratios.Sort();
        output.WriteLine($"{kind}: {ratios.Count}/{Images} flipped; distance / certified radius min {ratios[0]:F3}, median {ratios[ratios.Count / 2]:F3}, max {ratios[^1]:F3}; " +
            $"{totalSteps / (double)Images:F0} steps and at most {slowest:F0} ms per attack");
        // 200 steps reach the whole box: an attack that misses more than a few is broken, not unlucky.
        Assert.True(ratios.Count >= Images * 9 / 10, $"only {ratios.Count}/{Images} flipped");
    }

    private static async Task<JsonNode> PredictAsync(HttpClient client, string modelId, float[] image)
    {
        var response = await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { modelId, images = new[] { image } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task WithoutAModelIdTheModelPredictWouldUseAnswersAndSaysWhy()
    {
        using var client = service.Factory.CreateClient();
        var response = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { image = MnistDigits.Take(1)[0].Pixels, steps = 20 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("newest", response.Headers.GetValues("LipService-Model-Source").Single());
        var answer = await response.JsonAsync();
        Assert.Equal(service.Multiclass, answer["modelId"]!.GetValue<string>());
        Assert.Equal([1, 7, 3], answer["classes"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Equal(3, answer["scores"]!.AsArray().Count);
        Assert.InRange(answer["attack"]!["steps"]!.GetValue<int>(), 1, 20);

        var binary = await (await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = service.Binary, image = MnistDigits.Take(1)[0].Pixels, steps = 20 }))).JsonAsync();
        Assert.Equal([0, 8], binary["classes"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Single(binary["scores"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"steps": 10}""", "image")]
    [InlineData("""{"image": null}""", "image")]
    [InlineData("""{"image": "zeros"}""", "image")]
    [InlineData("""{"image": [0.5, 0.5]}""", "image")]
    [InlineData("""{"image": IMAGE, "steps": 0}""", "steps")]
    [InlineData("""{"image": IMAGE, "steps": 1001}""", "steps")]
    [InlineData("""{"image": IMAGE, "steps": 2.5}""", "steps")]
    [InlineData("""{"image": IMAGE, "step": 10}""", "step")]
    public async Task MalformedRequestsAreValidationProblemsNamingTheField(string body, string field)
    {
        using var client = service.Factory.CreateClient();
        var response = await client.PostJsonAsync("/attack", body.Replace("IMAGE", JsonSerializer.Serialize(new float[784]), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.StartsWith(field, errors.Single().Key);
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(-0.01f)]
    [InlineData(float.PositiveInfinity)]
    public async Task PixelsOutsideTheUnitIntervalAreRefused(float value)
    {
        using var client = service.Factory.CreateClient();
        var image = new float[784];
        if (float.IsFinite(value)) image[400] = value;
        // JSON has no infinity: a number beyond float's range is the nearest a client can send.
        string pixels = float.IsFinite(value) ? JsonSerializer.Serialize(image) : JsonSerializer.Serialize(image).Replace("0,0,0]", "0,0,1e300]", StringComparison.Ordinal);
        var response = await client.PostJsonAsync("/attack", $$"""{"modelId": "{{service.Binary}}", "image": {{pixels}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("image", (await response.JsonAsync())["errors"]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task NaNIsRefused()
    {
        using var client = service.Factory.CreateClient();
        string pixels = JsonSerializer.Serialize(new float[784]).Replace("[0,", "[\"NaN\",", StringComparison.Ordinal);
        var response = await client.PostJsonAsync("/attack", $$"""{"image": {{pixels}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("image", (await response.JsonAsync())["errors"]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task AnUnknownModelIsNotFoundAndChangesNothing()
    {
        using var client = service.Factory.CreateClient();
        string before = (await client.GetFromJsonAsync<JsonNode>("/models"))!.ToJsonString();
        var response = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = "no-such-model", image = new float[784] }));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Model not found", (await response.JsonAsync())["title"]!.GetValue<string>());
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonNode>("/models"))!.ToJsonString());
    }

    [Fact]
    public async Task StepsBeyondAttackMaxStepsAreRefusedAndNoAttackUsesMore()
    {
        using var limited = service.With(("Attack:MaxSteps", "10"), ("Attack:DefaultSteps", "10"));
        using var client = limited.CreateClient();
        var image = MnistDigits.Take(1)[0].Pixels;
        var tooMany = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = service.Binary, image, steps = 11 }));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("Attack:MaxSteps", (await tooMany.JsonAsync())["errors"]!["steps"]![0]!.GetValue<string>());

        var answer = await (await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = service.Binary, image }))).JsonAsync();
        Assert.InRange(answer["attack"]!["steps"]!.GetValue<int>(), 1, 10);
    }

    [Fact]
    public async Task TheTimeLimitStopsTheAttackAndStepsAreChargedAsDigits()
    {
        // 1 ms: the first step or two use it up. 250 digits a second: one 240-step attack leaves 10.
        using var limited = service.With(("Attack:TimeLimit", "00:00:00.001"), ("Serving:PredictPermitsPerSecond", "250"));
        using var client = limited.CreateClient();
        var image = MnistDigits.Take(1)[0].Pixels;

        var first = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = service.Binary, image, steps = 240 }));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var attack = (await first.JsonAsync())["attack"]!;
        // Stopped by the clock long before its 240 steps; a step takes well under a millisecond here,
        // so the allowance is for a busy machine's scheduling, not for the search.
        Assert.InRange(attack["steps"]!.GetValue<int>(), 0, 10);
        Assert.InRange(attack["elapsedMs"]!.GetValue<double>(), 0, 500);

        var second = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = service.Binary, image, steps = 240 }));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Contains("/attack", (await second.JsonAsync())["detail"]!.GetValue<string>());

        // More steps than the bucket ever holds: no wait would help (413, as /predict with too many digits).
        var never = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId = service.Binary, image, steps = 251 }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, never.StatusCode);
    }
}
