using LipService.Api.Serving;
using LipService.Api.Tests.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LipService.Api.Tests.Serving;

/// <summary>A newly trained model is loaded before anyone asks for it; with preloading off it is not.</summary>
public class DefaultModelPreloaderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheNewestModelIsLoadedWithoutARequestOnlyWhenPreloadingIsOn(bool preload)
    {
        using var factory = new PreloadFactory(preload);
        using var client = factory.CreateClient();
        var job = await client.TrainAsync("""{"epochs": 1, "seed": 5}""");
        string modelId = job["modelId"]!.GetValue<string>();
        var cache = factory.Services.GetRequiredService<ModelCache>();

        // The preloader looks once a second and the newest model is re-read at most once a second.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!cache.IsLoaded(modelId) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(preload, cache.IsLoaded(modelId));
    }

    private sealed class PreloadFactory(bool preload) : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Serving:PreloadDefaultModel"] = preload ? "true" : "false",
        };
    }
}
