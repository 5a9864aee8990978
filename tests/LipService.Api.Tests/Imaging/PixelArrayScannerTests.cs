using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Api.Imaging;

namespace LipService.Api.Tests.Imaging;

/// <summary>
/// The fast reader of /predict's images must read every valid body exactly as the converter does
/// (same floats, same lengths, same other fields) and hand every body it does not expect back to
/// the converter, whose errors name the element.
/// </summary>
public class PixelArrayScannerTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private static string Image(Func<int, string> value, int count = 784) => "[" + string.Join(",", Enumerable.Range(0, count).Select(value)) + "]";

    public static TheoryData<string> ValidBodies => new()
    {
        "{\"images\":[" + Image(i => (i % 255 / 255.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)) + "]}",
        "{\"modelId\":\"abc\",\"images\":[" + Image(i => i % 3 == 0 ? "0" : "0.5") + "," + Image(_ => "1") + "]}",
        "{ \"images\" : [\n\t" + Image(i => i % 2 == 0 ? "1e-1" : "5E-1").Replace(",", " ,\r\n ") + " \n ] , \"modelId\" : null }",
        "{\"Images\":[" + Image(i => i % 2 == 0 ? "-0" : "0.0") + "]}",
        "{\"images\":[" + Image(_ => "0.25", 783) + "]}",
        // An uploaded dataset's 3×32×32 images: longer than the room a new image starts with.
        "{\"images\":[" + Image(i => (i % 7 / 7.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture), 3072) + "," + Image(_ => "1", 1569) + "]}",
        "{\"images\":[]}",
        "{\"images\":[[]]}",
        "{\"modelId\":\"x\\u0041\",\"images\":[" + Image(_ => "0.125e+1") + "]}",
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void ValidBodiesReadAsTheConverterReadsThem(string body)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        Assert.True(PixelArrayScanner.TryReadPredictRequest(bytes, Options, out var fast));
        var slow = JsonSerializer.Deserialize<PredictRequest>(bytes, Options)!;
        Assert.Equal(slow.ModelId, fast!.ModelId);
        Assert.Equal(slow.Images!.Count, fast.Images!.Count);
        Assert.Equal(slow.Images.FirstWrongLength(PixelBatch.PixelsPerImage), fast.Images.FirstWrongLength(PixelBatch.PixelsPerImage));
        for (int i = 0; i < slow.Images.Count; i++)
            Assert.True(slow.Images.Image(i).AsSpan().SequenceEqual(fast.Images.Image(i)), $"image {i} differs");
    }

    public static TheoryData<string> BodiesLeftToTheConverter => new()
    {
        "{\"images\":[[\"0.5\"]]}",
        "{\"images\":[[[0.5]]]}",
        "{\"images\":[[01]]}",
        "{\"images\":[[1.]]}",
        "{\"images\":[[.5]]}",
        "{\"images\":[[NaN]]}",
        "{\"images\":[[0.5,]]}",
        "{\"images\":[[0.5]}",
        "{\"images\":[0.5]}",
        "{\"images\":null}",
        "{\"images\":[[0.5]],\"images\":[[0.25]]}",
        "{\"images\":[[1e39]]}",
        "{\"modelId\":\"m\"}",
        "[[0.5]]",
    };

    [Theory]
    [MemberData(nameof(BodiesLeftToTheConverter))]
    public void AnythingUnexpectedIsLeftToTheConverter(string body) =>
        Assert.False(PixelArrayScanner.TryReadPredictRequest(System.Text.Encoding.UTF8.GetBytes(body), Options, out _));
}
