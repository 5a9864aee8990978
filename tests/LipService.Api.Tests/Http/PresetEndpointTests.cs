using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Http;

/// <summary>GET /presets: what the page's form starts from must be what POST /jobs trains, and accepts back.</summary>
/// <remarks>A service of its own: the jobs it submits must not show up in the shared trained service's lists.</remarks>
public class PresetEndpointTests(LipServiceFactory service) : IClassFixture<LipServiceFactory>
{
    [Fact]
    public async Task EveryPresetIsListedWithItsFullSpecAndTheChoices()
    {
        using var client = service.CreateClient();
        var answer = (await client.GetFromJsonAsync<JsonNode>("/presets"))!;
        Assert.Equal("notebook", answer["default"]!.GetValue<string>());
        var presets = answer["presets"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["spec"]!);
        Assert.Equal(TrainingPresets.Names, presets.Keys);

        var notebook = presets["notebook"];
        Assert.Equal([0, 8], notebook["classes"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Equal([32, 16], notebook["hidden"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Equal("hkr", notebook["loss"]!.GetValue<string>());
        var conv = presets["mnist10-conv"];
        Assert.Equal("conv", conv["architecture"]!.GetValue<string>());
        Assert.Equal(10, conv["classes"]!.AsArray().Count);
        var robust = presets["mnist10-robust"];
        Assert.Equal(("ortho-conv-unshuffle", "offset-cce"), (robust["architecture"]!.GetValue<string>(), robust["loss"]!.GetValue<string>()));

        var choices = answer["choices"]!;
        Assert.Equal(["hkr", "tau-cce", "pairwise-hinge", "offset-cce"], choices["loss"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("fashion-mnist", choices["dataset"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["dense", "conv", "ortho-conv", "ortho-conv-unshuffle"], choices["architecture"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task APresetsSpecSentBackAsIsIsAccepted()
    {
        // The form sends every field it shows (classes, not the binary aliases positiveClass and
        // negativeClass, which may not be given beside classes); the preset's values must pass validation.
        using var client = service.CreateClient();
        var answer = (await client.GetFromJsonAsync<JsonNode>("/presets"))!;
        foreach (var preset in answer["presets"]!.AsArray())
        {
            var spec = preset!["spec"]!.AsObject().DeepClone().AsObject();
            spec.Remove("seed");
            spec.Remove("positiveClass");
            spec.Remove("negativeClass");
            spec["epochs"] = 1;
            var created = await client.PostJsonAsync("/jobs", spec.ToJsonString());
            Assert.True(created.StatusCode == HttpStatusCode.Accepted, $"{preset["name"]}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            string id = (await created.JsonAsync())["id"]!.GetValue<string>();
            // Only validation is under test: the job need not run (a one-epoch notebook job may already have ended: 409).
            var cancelled = await client.DeleteAsync($"/jobs/{id}");
            Assert.True(cancelled.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{preset["name"]}: DELETE answered {(int)cancelled.StatusCode}");
        }
    }
}
