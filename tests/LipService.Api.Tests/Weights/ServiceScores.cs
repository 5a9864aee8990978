using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Weights;

/// <summary>The scores POST /predict answers for real MNIST test digits: what another runtime must reproduce.</summary>
internal static class ServiceScores
{
    /// <summary>The first 24 test digits, every class among them: what matters is that both runtimes see the same pixels.</summary>
    public static float[][] Images { get; } =
        [.. Enumerable.Range(0, 24).Select(i => MnistDigits.RawTestImage(i).Select(b => b / 255f).ToArray())];

    public static string ImagesJson { get; } = JsonSerializer.Serialize(new { images = Images });

    /// <summary>One row per image: the binary score, or the scores in the order of the model's classes.</summary>
    public static async Task<double[][]> PredictAsync(HttpClient client, string modelId)
    {
        var response = await client.PostJsonAsync($"/predict?modelId={modelId}", ImagesJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync())["predictions"]!.AsArray()
            .Select(p => p!["scores"] is JsonArray scores ? scores.Select(s => s!.GetValue<double>()).ToArray() : [p["score"]!.GetValue<double>()])];
    }

    public static async Task<byte[]> DownloadAsync(HttpClient client, string modelId, string format)
    {
        var response = await client.GetAsync($"/models/{modelId}/weights?format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static void AssertClose(double[][] expected, IReadOnlyList<double[]> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int k = 0; k < actual[i].Length; k++) Tolerance.Absolute(expected[i][k], actual[i][k], tolerance);
        }
    }
}
