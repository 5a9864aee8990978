using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace LipService.Api.Tests.Http;

/// <summary>
/// samples/digit-0.png and samples/predict.json, used by the README's examples, are MNIST test
/// image 3 as written by samples/make-samples.py; these tests hold them to that.
/// </summary>
public sealed class SampleFilesTests
{
    public const int MnistIndex = 3;
    private const int Scale = 4;

    [Fact]
    public void PngIsTheMnistDigitDrawnBlackOnWhite()
    {
        string path = RepositoryPaths.File("samples", "digit-0.png");
        Assert.InRange(new FileInfo(path).Length, 1, 5 * 1024);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(28 * Scale, bitmap.Width);
        Assert.Equal(28 * Scale, bitmap.Height);
        byte[] digit = MnistDigits.RawTestImage(MnistIndex);
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var colour = bitmap.GetPixel(x, y);
                byte expected = (byte)(255 - digit[(y / Scale) * 28 + x / Scale]);
                Assert.True(colour.Red == expected && colour.Green == expected && colour.Blue == expected, $"pixel ({x}, {y}) is {colour}, expected gray {expected}");
            }
        }
    }

    [Fact]
    public void JsonBodyIsTheMnistDigitScaledToUnitRange()
    {
        var images = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("samples", "predict.json")))!["images"]!.AsArray();
        var pixels = Assert.Single(images)!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        byte[] digit = MnistDigits.RawTestImage(MnistIndex);
        Assert.Equal(784, pixels.Length);
        // samples/make-samples.py writes each value rounded to 4 decimals: at most half a unit of the
        // 4th decimal away, plus the float64 rounding of parsing it.
        for (int i = 0; i < 784; i++) Tolerance.Absolute(digit[i] / 255.0, pixels[i], 0.5e-4 + 1e-12);
    }

    [Fact]
    public void TheSampleIsAZero()
    {
        // The first test digit of classes 0 and 8 is image 3.
        var (pixels, label) = MnistDigits.TakeBytes(1)[0];
        Assert.Equal(0, label);
        Assert.Equal(MnistDigits.RawTestImage(MnistIndex), pixels);
    }
}

/// <summary>The README's predict examples, run against a model trained like the notebook's.</summary>
[Collection(TrainedServiceCollection.Name)]
public sealed class SampleFilesPredictTests(TrainedServiceFixture service)
{
    [Fact]
    public async Task TheTrainedModelCallsBothSamplesZero()
    {
        using var client = service.CreateClient();

        using var upload = new MultipartFormDataContent();
        var png = new ByteArrayContent(await File.ReadAllBytesAsync(RepositoryPaths.File("samples", "digit-0.png")));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        upload.Add(png, "files", "digit-0.png");
        var fromImage = await client.PostAsync("/predict", upload);
        Assert.Equal(HttpStatusCode.OK, fromImage.StatusCode);
        Assert.Equal(0, (await fromImage.JsonAsync())["predictions"]![0]!["label"]!.GetValue<int>());

        var fromJson = await client.PostJsonAsync("/predict", await File.ReadAllTextAsync(RepositoryPaths.File("samples", "predict.json")));
        Assert.Equal(HttpStatusCode.OK, fromJson.StatusCode);
        Assert.Equal(0, (await fromJson.JsonAsync())["predictions"]![0]!["label"]!.GetValue<int>());
    }
}
