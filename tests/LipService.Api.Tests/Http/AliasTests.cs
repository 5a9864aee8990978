using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Aliases and the default model of /predict, over real HTTP on a service of its own with two real
/// one-epoch MNIST models (a third is trained by one test): the shared trained service's "newest
/// model" must not move under other test classes.
/// </summary>
public sealed class AliasTests(AliasTests.TwoModels service) : IClassFixture<AliasTests.TwoModels>
{
    /// <summary>Longer than the cache's once-a-second refresh of aliases and of the newest model.</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(1100);

    private static readonly string Digit = JsonSerializer.Serialize(new { images = new[] { MnistDigits.Take(1)[0].Pixels } });

    [Fact]
    public async Task TheNewestAnswersUntilADefaultIsChosenAndThenNewTrainingNoLongerChangesIt()
    {
        using var client = service.Factory.CreateClient();
        var aliases = await GetJsonAsync(client, "/aliases");
        Assert.Equal(("default", null, "newest"),
            (aliases["defaultAlias"]!.GetValue<string>(), aliases["defaultModelId"]?.GetValue<string>(), aliases["defaultModelSource"]!.GetValue<string>()));
        Assert.DoesNotContain(aliases["items"]!.AsArray(), a => a!["alias"]!.GetValue<string>() == "default");
        Assert.Equal((service.Second, "newest"), await PredictAsync(client));

        var set = await client.PutAsync($"/models/{service.First}/aliases/default", null);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(("default", service.First), Alias(await set.JsonAsync()));
        await Task.Delay(Refresh);
        Assert.Equal((service.First, "alias:default"), await PredictAsync(client));
        aliases = await GetJsonAsync(client, "/aliases");
        Assert.Equal((service.First, "alias:default"), (aliases["defaultModelId"]!.GetValue<string>(), aliases["defaultModelSource"]!.GetValue<string>()));

        // A new model is the newest, yet the default still answers.
        var third = await client.TrainAsync("""{"epochs": 1, "seed": 3}""");
        string thirdId = third["modelId"]!.GetValue<string>();
        await Task.Delay(Refresh);
        Assert.Equal((service.First, "alias:default"), await PredictAsync(client));
        var models = (await GetJsonAsync(client, "/models"))["items"]!.AsArray();
        Assert.Equal(thirdId, models[0]!["id"]!.GetValue<string>());
        Assert.Empty(models[0]!["aliases"]!.AsArray());
        Assert.Contains("default", AliasesOf(models.Single(m => m!["id"]!.GetValue<string>() == service.First)!));

        // Without the alias the newest answers again, and says so.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/aliases/default")).StatusCode);
        await Task.Delay(Refresh);
        Assert.Equal((thirdId, "newest"), await PredictAsync(client));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/aliases/default")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/aliases/default")).StatusCode);
    }

    [Fact]
    public async Task AnAliasNamesAModelInPredictAndAMoveTakesEffectWithinASecond()
    {
        using var client = service.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/models/{service.First}/aliases/prod", null)).StatusCode);
        Assert.Equal((service.First, "alias:prod"), await PredictAsync(client, "?modelId=prod"));
        Assert.Equal((service.First, "alias:prod"), await PredictAsync(client, body: JsonSerializer.Serialize(new { images = new[] { MnistDigits.Take(1)[0].Pixels }, modelId = "prod" })));
        Assert.Equal((service.Second, "id"), await PredictAsync(client, $"?modelId={service.Second}"));
        // The Open Inference Protocol takes an alias as the model's name, its id as the version.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/models/prod/versions/{service.First}/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v2/models/prod/versions/{service.Second}/ready")).StatusCode);

        // POST, as in the example, moves it like PUT.
        var moved = await client.PostAsync($"/models/{service.Second}/aliases/prod", null);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await Task.Delay(Refresh);
        Assert.Equal((service.Second, "alias:prod"), await PredictAsync(client, "?modelId=prod"));

        Assert.Equal(("prod", service.Second), Alias(await GetJsonAsync(client, "/aliases/prod")));
        Assert.Contains("prod", AliasesOf(await GetJsonAsync(client, $"/models/{service.Second}")));
        Assert.DoesNotContain("prod", AliasesOf(await GetJsonAsync(client, $"/models/{service.First}")));
        Assert.Contains(("prod", service.Second), (await GetJsonAsync(client, "/aliases"))["items"]!.AsArray().Select(a => Alias(a!)));
    }

    [Theory]
    [InlineData("Prod")]
    [InlineData("0prod")]
    [InlineData("pro d")]
    [InlineData("prod%0A")]
    [InlineData("abcdef0123456789abcdef0123456789")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public async Task BadAliasNamesAreRefusedAndChangeNothing(string name)
    {
        using var client = service.Factory.CreateClient();
        string before = (await GetJsonAsync(client, "/aliases")).ToJsonString();

        var refused = await client.PutAsync($"/models/{service.First}/aliases/{name}", null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not a valid alias", (await refused.JsonAsync())["errors"]!["alias"]![0]!.GetValue<string>());
        Assert.Equal(before, (await GetJsonAsync(client, "/aliases")).ToJsonString());
    }

    [Fact]
    public async Task UnknownModelsAndAliasesGet404AndChangeNothing()
    {
        using var client = service.Factory.CreateClient();
        string before = (await GetJsonAsync(client, "/aliases")).ToJsonString();

        var noModel = await client.PutAsync("/models/0123456789abcdef0123456789abcdef/aliases/staging", null);
        Assert.Equal(HttpStatusCode.NotFound, noModel.StatusCode);
        Assert.Equal("Model not found", (await noModel.JsonAsync())["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/aliases/staging")).StatusCode);
        var noAlias = await client.DeleteAsync("/aliases/staging");
        Assert.Equal(HttpStatusCode.NotFound, noAlias.StatusCode);
        Assert.Equal("Alias not found", (await noAlias.JsonAsync())["title"]!.GetValue<string>());
        var predict = await client.PostJsonAsync("/predict?modelId=staging", Digit);
        Assert.Equal(HttpStatusCode.NotFound, predict.StatusCode);
        Assert.Contains("id or alias 'staging'", (await predict.JsonAsync())["detail"]!.GetValue<string>());

        Assert.Equal(before, (await GetJsonAsync(client, "/aliases")).ToJsonString());
    }

    [Fact]
    public async Task AnAliasIsDeletedUnderItsModelAsOnItsOwnRoute()
    {
        using var client = service.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/models/{service.First}/aliases/canary", null)).StatusCode);

        // Under another model the name is not that model's alias: 404, and the alias stays.
        var elsewhere = await client.DeleteAsync($"/models/{service.Second}/aliases/canary");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Contains($"points at model '{service.First}'", (await elsewhere.JsonAsync())["detail"]!.GetValue<string>());
        Assert.Equal(("canary", service.First), Alias(await GetJsonAsync(client, "/aliases/canary")));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/models/{service.First}/aliases/canary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/aliases/canary")).StatusCode);
        var again = await client.DeleteAsync($"/models/{service.First}/aliases/canary");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("Alias not found", (await again.JsonAsync())["title"]!.GetValue<string>());
    }

    private async Task<(string ModelId, string Source)> PredictAsync(HttpClient client, string query = "", string? body = null)
    {
        var response = await client.PostJsonAsync($"/predict{query}", body ?? Digit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string source = string.Join(",", response.Headers.GetValues("LipService-Model-Source"));
        return ((await response.JsonAsync())["modelId"]!.GetValue<string>(), source);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static (string Alias, string ModelId) Alias(JsonNode alias) => (alias["alias"]!.GetValue<string>(), alias["modelId"]!.GetValue<string>());

    private static IEnumerable<string> AliasesOf(JsonNode model) => model["aliases"]!.AsArray().Select(a => a!.GetValue<string>());

    /// <summary>A service of its own with two trained models, the second one newer.</summary>
    public sealed class TwoModels : IAsyncLifetime
    {
        public LipServiceFactory Factory { get; } = new();

        public string First { get; private set; } = "";

        public string Second { get; private set; } = "";

        public async Task InitializeAsync()
        {
            using var client = Factory.CreateClient();
            First = await TrainAsync(client, 1);
            Second = await TrainAsync(client, 2);
        }

        private static async Task<string> TrainAsync(HttpClient client, int seed)
        {
            var job = await client.TrainAsync($$"""{"epochs": 1, "seed": {{seed}}}""");
            return job["modelId"]!.GetValue<string>();
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }
}
