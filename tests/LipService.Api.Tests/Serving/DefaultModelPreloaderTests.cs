using LipService.Api.Serving;
using LipService.Api.Tests.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LipService.Api.Tests.Serving;

/// <summary>A model a job of this process stores is in the serving cache before any request asks for it.</summary>
public sealed class DefaultModelPreloaderTests
{
    [Fact]
    public async Task AStoredModelIsLoadedWithoutARequest()
    {
        using var factory = new LipServiceFactory();
        using var client = factory.CreateClient();
        var cache = factory.Services.GetRequiredService<ModelCache>();

        var job = await client.TrainAsync("""{"epochs": 1, "seed": 5}""");
        ApiClient.AssertStatus(job, "succeeded");
        string modelId = job["modelId"]!.GetValue<string>();

        // Announced by the runner: loaded at once, well before the once-a-second re-read would find it.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!cache.IsLoaded(modelId) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(cache.IsLoaded(modelId), "the model was not loaded within 5 s of its job's end");
    }
}
