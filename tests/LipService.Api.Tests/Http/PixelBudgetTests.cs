using System.Net;
using LipService.Api.Tests.Imaging;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Decoding is charged by the pixels the headers declare, against Images:MaxPixelsPerRequest, before
/// any image is decoded (and before the model is looked up). Images are decoded for the model that
/// answers (digits and Fashion-MNIST items are prepared differently), so decoding needs a model.
/// </summary>
[Collection(TrainedServiceCollection.Name)]
public sealed class PixelBudgetTests(TrainedServiceFixture factory)
{
    [Fact]
    public async Task FiftyImagesDeclaring4096SquaredGet413NamingTheFirstOverTheBudget()
    {
        // Each part declares 4096×4096 (16 Mi pixels, 64 MiB to decode) in 45 bytes and holds no
        // pixel data, so decoding any of them would answer 400 "truncated" for files[0]. The default
        // budget of 64 Mi pixels admits four; the fifth is refused, and nothing was decoded.
        byte[] png = PngChunks.HeaderOnly(4096, 4096);
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < 50; i++) form.Add(new ByteArrayContent(png), "files", $"huge{i}.png");

        using var client = factory.CreateClient();
        var response = await client.PostAsync("/predict", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        string detail = (await response.JsonAsync())["detail"]!.GetValue<string>();
        Assert.Contains("files[4] 'huge4.png'", detail);
        Assert.Contains("4096×4096", detail);
        Assert.Contains("83,886,080", detail);
        Assert.Contains("67,108,864", detail);
        Assert.Contains("Images:MaxPixelsPerRequest", detail);
    }

    [Fact]
    public async Task ImagesWithinTheBudgetAreDecoded()
    {
        // Four such headers fit exactly; the first is then decoded and found truncated.
        byte[] png = PngChunks.HeaderOnly(4096, 4096);
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < 4; i++) form.Add(new ByteArrayContent(png), "files", $"huge{i}.png");

        using var client = factory.CreateClient();
        var response = await client.PostAsync("/predict", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("truncated", (await response.JsonAsync())["errors"]!["files[0]"]![0]!.GetValue<string>());
    }
}
