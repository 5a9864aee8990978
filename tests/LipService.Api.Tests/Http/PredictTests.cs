using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LipService.Api.Tests.Http;

[Collection(TrainedServiceCollection.Name)]
public class PredictTests(TrainedServiceFixture service)
{
    [Fact]
    public async Task PixelArraysGetLabelsAndRadiiFromTheNewestModel()
    {
        using var client = service.CreateClient();
        var digits = MnistDigits.Take(100);
        var body = JsonSerializer.Serialize(new { images = digits.Select(d => d.Pixels) });
        var response = await client.PostJsonAsync("/predict", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.JsonAsync();

        Assert.Equal(service.ModelId, answer["modelId"]!.GetValue<string>());
        double bound = answer["lipschitzBound"]!.GetValue<double>();
        Assert.InRange(bound, 0.99, 1.01);
        var predictions = answer["predictions"]!.AsArray();
        Assert.Equal(100, predictions.Count);
        int correct = 0;
        for (int i = 0; i < 100; i++)
        {
            var p = predictions[i]!;
            double score = p["score"]!.GetValue<double>();
            Assert.Equal(score >= 0 ? 0 : 8, p["label"]!.GetValue<int>());
            // The JSON score is the float32 score's shortest round-trip decimal, within half a float32
            // ulp of the value the radius was computed from; the division adds a float64 rounding.
            Tolerance.Relative(Math.Abs(score) / bound, p["certifiedRadius"]!.GetValue<double>(), Tolerance.Float32Epsilon);
            Assert.Null(p["input"]);
            if (p["label"]!.GetValue<int>() == digits[i].Label) correct++;
        }
        Assert.True(correct >= 95, $"{correct}/100 correct");
    }

    [Fact]
    public async Task LargeBatchesGoThroughLibtorchAndAgreeWithSmallOnes()
    {
        using var client = service.CreateClient();
        var digits = MnistDigits.Take(300).Select(d => d.Pixels).ToArray();
        var large = await (await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { images = digits }))).JsonAsync();
        var small = await (await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { images = digits[..10] }))).JsonAsync();
        // Two float32 paths (managed SIMD for small batches, libtorch for large ones) sum the
        // 784 + 32 + 16 products of each digit in different orders: each rounding is ≤ 2⁻²⁴ of a
        // partial sum bounded by Σ|w·x| (< 100 for these unit-norm layers on [0, 1] pixels), so
        // ~850 roundings stay below 850 · 100 · 6e-8 ≈ 5e-3 in the worst case; 1e-3 is ample in practice.
        for (int i = 0; i < 10; i++)
            Tolerance.Absolute(small["predictions"]![i]!["score"]!.GetValue<double>(), large["predictions"]![i]!["score"]!.GetValue<double>(), 1e-3);
    }

    [Fact]
    public async Task ExplicitModelIdAndIncludeInput()
    {
        using var client = service.CreateClient();
        var digit = MnistDigits.Take(1)[0].Pixels;
        var body = JsonSerializer.Serialize(new { images = new[] { digit }, modelId = service.ModelId });
        var answer = await (await client.PostJsonAsync("/predict?includeInput=true", body)).JsonAsync();
        var input = answer["predictions"]![0]!["input"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(digit, input);
    }

    public static TheoryData<string, string> BadBodies()
    {
        string Image(int n, string value = "0.5") => "[" + string.Join(",", Enumerable.Repeat(value, n)) + "]";
        return new()
        {
            { "{\"images\": [" + Image(783) + "]}", "images[0]" },
            { "{\"images\": [" + Image(785) + "]}", "images[0]" },
            { "{\"images\": [" + Image(784, "1.5") + "]}", "images[0]" },
            { "{\"images\": [" + Image(784, "-0.1") + "]}", "images[0]" },
            { "{\"images\": [" + Image(784, "NaN") + "]}", "images[0][0]" },
            { "{\"images\": [" + Image(784, "Infinity") + "]}", "images[0][0]" },
            { "{\"images\": [" + Image(784, "\"NaN\"") + "]}", "images[0][0]" },
            { "{\"images\": [" + Image(784, "1e39") + "]}", "images[0]" },
            { "{\"images\": []}", "images" },
            { "{}", "images" },
            { "{\"images\": [" + string.Join(",", Enumerable.Repeat(Image(784, "0"), 1025)) + "]}", "images" },
            { "{\"images\": [[0.1, ", "images[0]" },
            { "not json", "body" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadPixelBodiesGet400NamingTheField(string body, string field)
    {
        using var client = service.CreateClient();
        var response = await client.PostJsonAsync("/predict", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.StartsWith(field, errors.Single().Key);
    }

    [Fact]
    public async Task UnknownModelGets404AndWrongMediaType415()
    {
        using var client = service.CreateClient();
        string body = JsonSerializer.Serialize(new { images = new[] { new float[784] }, modelId = "nope" });
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/predict", body)).StatusCode);
        var text = await client.PostAsync("/predict", new StringContent("hello", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    [Fact]
    public async Task UploadedPngDigitsAreRecognised()
    {
        using var client = service.CreateClient();
        var digits = MnistDigits.TakeBytes(40);
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < digits.Count; i++)
        {
            // Half as MNIST draws them, half scaled up as black ink on white paper.
            var bytes = i % 2 == 0 ? Imaging.DigitImages.Png(digits[i].Pixels) : Imaging.DigitImages.Png(digits[i].Pixels, scale: 4, invert: true);
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(part, "files", $"digit{i}.png");
        }
        form.Add(new StringContent(service.ModelId), "modelId");
        var response = await client.PostAsync("/predict?includeInput=true", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await response.JsonAsync())["predictions"]!.AsArray();
        Assert.Equal(40, predictions.Count);
        int correct = Enumerable.Range(0, 40).Count(i => predictions[i]!["label"]!.GetValue<int>() == digits[i].Label);
        Assert.True(correct >= 36, $"{correct}/40 uploads recognised");
        Assert.All(predictions, p => Assert.Equal(784, p!["input"]!.AsArray().Count));
    }

    public static TheoryData<string, byte[]> BadUploads()
    {
        byte[] png = Imaging.DigitImages.Png(MnistDigits.TakeBytes(1)[0].Pixels);
        return new()
        {
            { "empty.png", [] },
            { "text.png", Encoding.UTF8.GetBytes("this is not an image at all") },
            { "random.png", Enumerable.Range(0, 2000).Select(i => (byte)(i * 7919 % 251)).ToArray() },
            { "truncated.png", png[..60] },
            { "huge.png", PngHeader(60_000, 60_000) },
        };
    }

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task BadUploadsGet400NamingTheFile(string name, byte[] bytes)
    {
        using var client = service.CreateClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "files", name } };
        var response = await client.PostAsync("/predict", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["errors"]!["files[0]"]![0]!.GetValue<string>();
        Assert.Contains(name, error);
    }

    [Fact]
    public async Task MultipartWithoutFilesGets400()
    {
        using var client = service.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "modelId" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/predict", form)).StatusCode);
    }

    /// <summary>Bodies the form reader cannot read are the client's error: a 400 problem saying why, never a 500.</summary>
    [Theory]
    [InlineData("multipart/form-data", "x")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\n\u0089PNG")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"")]
    [InlineData("multipart/form-data; boundary=b", "many-values")]
    public async Task AnUnreadableFormGets400(string contentType, string body)
    {
        using var client = service.CreateClient();
        string text = body switch
        {
            // Beyond the form's value count limit (Serving:MaxDigits + 16).
            "many-values" => string.Concat(Enumerable.Range(0, 5000).Select(i => $"--b\r\nContent-Disposition: form-data; name=\"v{i}\"\r\n\r\n1\r\n")) + "--b--\r\n",
            _ => body,
        };
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.PostAsync("/predict", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await response.JsonAsync())["errors"]?["body"]?[0]?.GetValue<string>()), "the problem says what was wrong");
    }

    [Fact]
    public async Task OversizedImageGets413()
    {
        using var client = service.CreateClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[9 * 1024 * 1024]), "files", "big.png" } };
        var response = await client.PostAsync("/predict", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A PNG signature and IHDR chunk claiming the given size, with a valid CRC, and nothing else.</summary>
    internal static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[17];
        "IHDR"u8.CopyTo(ihdr);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(8), height);
        ihdr[12] = 8; // bit depth
        ihdr[13] = 0; // grayscale
        var png = new List<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);
        png.AddRange(ihdr);
        uint crc = Imaging.Crc32.Compute(ihdr);
        png.AddRange([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
        return [.. png];
    }
}
