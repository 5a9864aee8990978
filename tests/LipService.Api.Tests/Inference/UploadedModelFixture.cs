using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LipService.Api.Tests.Datasets;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Inference;

/// <summary>
/// One in-process service, its gRPC face on a port of its own, with a model trained through the API on
/// an uploaded dataset of 12×12 grayscale images in two classes: a model whose input is not MNIST's.
/// </summary>
public sealed class UploadedModelFixture : IAsyncLifetime
{
    public const int Side = 12;

    /// <summary>C·H·W of the dataset's images.</summary>
    public const int Pixels = Side * Side;

    /// <summary>The class folders, in their labels' order (ordinal): one name is not ASCII, so that a BYTES length is bytes, not characters.</summary>
    public static readonly string[] ClassNames = ["carré", "circle"];

    public int GrpcPort { get; } = Cli.Executable.FreePort();

    public LipServiceFactory Factory { get; private set; } = null!;

    public string ModelId { get; private set; } = null!;

    public HttpClient CreateClient() => Factory.CreateClient();

    public async Task InitializeAsync()
    {
        Factory = new GrpcServiceFactory(GrpcPort);
        using var client = Factory.CreateClient();
        using var form = new MultipartFormDataContent();
        var zip = new ByteArrayContent(DatasetZip());
        zip.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(zip, "file", "shapes.zip");
        var uploaded = await client.PostAsync("/datasets", form);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, $"{(int)uploaded.StatusCode}: {await uploaded.Content.ReadAsStringAsync()}");
        string dataset = (await uploaded.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.TrainAsync(JsonSerializer.Serialize(new { dataset, hidden = new[] { 8 }, epochs = 1 }));
        ModelId = job["modelId"]!.GetValue<string>();
    }

    /// <summary><paramref name="count"/> images of <see cref="Pixels"/> values in [0, 1], one after another.</summary>
    public static float[] Images(int count, int seed = 5)
    {
        var random = new Random(seed);
        var pixels = new float[count * Pixels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.Next(256) / 255f;
        return pixels;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    private static byte[] DatasetZip() => DatasetFiles.ZipBytes(
        from i in Enumerable.Range(0, 10)
        from label in Enumerable.Range(0, ClassNames.Length)
        select ($"{ClassNames[label]}/{i}.png", (byte[]?)TestImages.GrayPng(Side, Side, seed: (100 * label) + i)));

    private sealed class GrpcServiceFactory(int grpcPort) : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Grpc:Port"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

[CollectionDefinition(Name)]
public sealed class UploadedModelCollection : ICollectionFixture<UploadedModelFixture>
{
    public const string Name = "uploaded-dataset model";
}
