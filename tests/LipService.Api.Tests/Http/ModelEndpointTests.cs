using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Contracts;
using LipService.Models.Export;

namespace LipService.Api.Tests.Http;

[Collection(TrainedServiceCollection.Name)]
public class ModelEndpointTests(TrainedServiceFixture service)
{
    [Fact]
    public async Task ModelReportsItsBoundAndCertifiedAccuracy()
    {
        using var client = service.CreateClient();
        var model = await client.GetFromJsonAsync<JsonNode>($"/models/{service.ModelId}");
        Assert.Equal(service.TrainedJob["id"]!.GetValue<string>(), model!["jobId"]!.GetValue<string>());
        Assert.Equal(25_664, model["trainableParameters"]!.GetValue<long>());
        Assert.InRange(model["lipschitzBound"]!.GetValue<double>(), 0.99, 1.01);
        var curve = model["certifiedAccuracy"]!.AsArray();
        Assert.Equal([0, 0.1, 0.25, 0.3, 0.5, 1.0, 1.58, 2.0], curve.Select(p => p!["epsilon"]!.GetValue<double>()));
        Assert.True(curve[4]!["accuracy"]!.GetValue<double>() > 0.9);
        Assert.Equal(3, model["metrics"]!["epoch"]!.GetValue<int>());

        var list = await client.GetFromJsonAsync<JsonNode>("/models");
        Assert.Contains(list!["items"]!.AsArray(), m => m!["id"]!.GetValue<string>() == service.ModelId);
    }

    [Fact]
    public async Task WeightsDownloadLoadsIntoTheSameBound()
    {
        using var client = service.CreateClient();
        var model = await client.GetFromJsonAsync<JsonNode>($"/models/{service.ModelId}");
        var response = await client.GetAsync(model!["weightsUrl"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] weights = await response.Content.ReadAsByteArrayAsync();
        // The answered spec read back as a request would be (classes, without their binary aliases).
        var answered = model["spec"]!.DeepClone().AsObject();
        answered.Remove("positiveClass");
        answered.Remove("negativeClass");
        var (spec, errors) = answered.Deserialize<JobSpecRequest>(ApiClient.Json)!.Resolve(defaultSeed: 0);
        Assert.Empty(errors);
        using var exported = ExportedNetwork.Deserialize(spec.ToNetworkSpec(), weights);
        // The same float32 weights and the same float64 SVD: only LAPACK's summation order may differ.
        Tolerance.Relative(model["lipschitzBound"]!.GetValue<double>(), exported.LipschitzBound, 1e-12);
    }

    [Theory]
    [InlineData("/models/nope")]
    [InlineData("/models/nope/weights")]
    public async Task UnknownModelsGet404(string url)
    {
        using var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
    }
}
