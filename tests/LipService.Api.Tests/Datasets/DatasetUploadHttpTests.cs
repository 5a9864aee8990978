using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Datasets;

/// <summary>
/// POST /datasets over real HTTP on 127.0.0.1: every kind of bad upload is refused with its status,
/// the part at fault and a message naming the file and the problem, and leaves no row in the store and
/// no file in the upload folder; good ones are listed, deduplicated by content and deleted.
/// </summary>
[Collection(DatasetServiceCollection.Name)]
public sealed class DatasetUploadHttpTests(DatasetServiceFixture service, ITestOutputHelper output)
{
    public static TheoryData<string, string, string[]> BadZips => new()
    {
        { "traversal", "file", ["traversal.zip", "'../evil.png'", "path traversal"] },
        { "absolute", "file", ["absolute.zip", "'/etc/a.png'", "absolute path"] },
        { "nested", "file", ["nested.zip", "'a/deeper/x.png'", "nested folders"] },
        { "non-image", "file", ["non-image.zip", "'a/readme.txt'"] },
        { "fake-png", "file", ["fake-png.zip", "'b/not-really.png'"] },
        { "mixed-sizes", "file", ["mixed-sizes.zip", "'b/1.png' is 16×16", "every image must have one size"] },
        { "one-class", "file", ["one-class.zip", "one class"] },
        { "empty-class", "file", ["empty-class.zip", "'c'"] },
        { "bomb", "file", ["bomb.zip", "zip bomb"] },
        { "too-small", "file", ["too-small.zip", "4×4", "8×8 at least"] },
    };

    [Theory]
    [MemberData(nameof(BadZips))]
    public async Task ABadZipIsRefusedByNameAndLeavesNothing(string kind, string field, string[] phrases)
    {
        var entries = new List<(string, byte[]?)> { ("a/0.png", TestImages.GrayPng(12, 12)), ("a/1.png", TestImages.GrayPng(12, 12, 1)) };
        switch (kind)
        {
            case "traversal": entries.Add(("../evil.png", TestImages.GrayPng(12, 12))); break;
            case "absolute": entries.Add(("/etc/a.png", TestImages.GrayPng(12, 12))); break;
            case "nested": entries.Add(("a/deeper/x.png", TestImages.GrayPng(12, 12))); break;
            case "non-image": entries.Add(("a/readme.txt", Encoding.UTF8.GetBytes("the cats"))); break;
            case "fake-png": entries.Add(("b/not-really.png", Encoding.UTF8.GetBytes("not an image at all"))); break;
            case "mixed-sizes": entries.Add(("b/1.png", TestImages.GrayPng(16, 16))); break;
            case "one-class": break;
            case "empty-class": entries.Add(("b/0.png", TestImages.GrayPng(12, 12))); entries.Add(("c/", null)); break;
            // 3 MB of zeros deflates about a thousandfold: past Datasets:MaxCompressionRatio.
            case "bomb": entries.Add(("b/x.png", new byte[2_900_000])); break;
            case "too-small": entries = [("a/0.png", TestImages.GrayPng(4, 4)), ("b/0.png", TestImages.GrayPng(4, 4))]; break;
        }
        if (kind is not ("one-class" or "mixed-sizes" or "fake-png" or "empty-class" or "too-small")) entries.Add(("b/0.png", TestImages.GrayPng(12, 12, 2)));

        await AssertRefusedAsync(Form(("file", $"{kind}.zip", Zip(entries))), HttpStatusCode.BadRequest, field, phrases);
    }

    [Fact]
    public async Task BadIdxAndCsvAreRefusedByNameAndLeaveNothing()
    {
        var images = IdxFiles.Images(6, 10, 10);
        await AssertRefusedAsync(Form(("file", "imgs.idx", images), ("labels", "labs.idx", IdxFiles.Labels(0, 1, 2, 0, 1, 250))),
            HttpStatusCode.BadRequest, "labels", ["labs.idx", "label 250 of image 5", "out of range"]);
        await AssertRefusedAsync(Form(("file", "cut.idx", images[..^150]), ("labels", "labs.idx", IdxFiles.Labels(0, 1, 2, 0, 1, 2))),
            HttpStatusCode.BadRequest, "file", ["cut.idx", "ends after 4 of 6 images"]);
        await AssertRefusedAsync(Form(("file", "imgs.idx", images), ("labels", "labs.idx", IdxFiles.Labels(0, 1, 2))),
            HttpStatusCode.BadRequest, "labels", ["labs.idx", "3 labels", "6 images"]);
        await AssertRefusedAsync(Form(("file", "imgs.idx.gz", DatasetFiles.Gzip(images))),
            HttpStatusCode.BadRequest, "labels", ["imgs.idx.gz", "IDX images", "'labels'"]);

        string Row(int label, int pixels) => string.Join(',', new[] { label }.Concat(Enumerable.Repeat(7, pixels)));
        var ragged = $"{Row(0, 64)}\n{Row(1, 64)}\n{Row(1, 63)}\n";
        await AssertRefusedAsync(Form(("file", "ragged.csv", Encoding.UTF8.GetBytes(ragged))),
            HttpStatusCode.BadRequest, "file", ["ragged.csv", "line 3", "64 fields"]);
        var label = $"{Row(0, 64)}\n{Row(1000, 64)}\n";
        await AssertRefusedAsync(Form(("file", "labels.csv", Encoding.UTF8.GetBytes(label))),
            HttpStatusCode.BadRequest, "file", ["labels.csv", "line 2", "1000"]);
    }

    [Fact]
    public async Task OversizeUploadsAre413AndLeaveNothing()
    {
        // A 50 GB declared length is refused from the header, before any of it is read.
        var before = service.Kept();
        var declared = await RawHttp.SendAsync(service.Port, "POST", "/datasets",
            [("Content-Type", "multipart/form-data; boundary=x"), ("Content-Length", "53687091200")], "--x\r\n"u8.ToArray());
        Assert.Equal(413, declared.Status);
        Assert.Contains("53,687,091,200", declared.Text);
        Assert.Equal(before, service.Kept());

        // One with no length at all is counted as it streams in, and cut off past the limit.
        var big = new byte[DatasetServiceFixture.MaxUploadBytes + 100_000];
        Random.Shared.NextBytes(big);
        using var content = Form(("file", "big.zip", big));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/datasets") { Content = new ChunkedContent(await content.ReadAsByteArrayAsync(), content.Headers.ContentType!) };
        using var response = await service.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("Datasets:MaxUploadBytes", body);
        Assert.Equal(before, service.Kept());
    }

    [Fact]
    public async Task TheImageLimitHoldsForTheTrainingAndValidationFilesTogether()
    {
        // 30 + 12 images: each file within Datasets:MaxImages (40), the two together over it.
        var form = Form(("file", "train.idx", IdxFiles.Images(30, 10, 10)), ("labels", "train-labels.idx", IdxFiles.CyclingLabels(30)),
            ("validation", "val.idx", IdxFiles.Images(12, 10, 10)), ("validationLabels", "val-labels.idx", IdxFiles.CyclingLabels(12)));
        await AssertRefusedAsync(form, HttpStatusCode.RequestEntityTooLarge, "detail", ["val.idx", "training file's 30 images", "40 images"]);
    }

    [Fact]
    public async Task MalformedFormsAreRefused()
    {
        // Routing refuses what the endpoint does not accept, before the handler runs.
        await AssertRefusedAsync(new StringContent("{}", Encoding.UTF8, "application/json"), HttpStatusCode.UnsupportedMediaType, "title", ["Unsupported Media Type"]);
        await AssertRefusedAsync(Form(("labels", "l.idx", IdxFiles.Labels(0, 1))), HttpStatusCode.BadRequest, "file", ["'file'"]);
        await AssertRefusedAsync(Form(("file", "a.csv", "0,1\n"u8.ToArray()), ("pictures", "p.zip", [1])), HttpStatusCode.BadRequest, "pictures", ["Unknown part 'pictures'"]);
        var zip = Zip([("a/0.png", TestImages.GrayPng(12, 12)), ("b/0.png", TestImages.GrayPng(12, 12))]);
        using var fraction = Form(("file", "ab.zip", zip));
        fraction.Add(new StringContent("0.9"), "validationFraction");
        await AssertRefusedAsync(fraction, HttpStatusCode.BadRequest, "validationFraction", ["(0, 0.5]", "0.9"]);
        // Two images, one per class: the default 20 % holds none out, and certificates need some.
        await AssertRefusedAsync(Form(("file", "ab.zip", zip)), HttpStatusCode.BadRequest, "validationFraction", ["ab.zip", "no validation images"]);
    }

    [Fact]
    public async Task TheSameUploadIsOneDatasetUntilDeleted()
    {
        var entries = new List<(string, byte[]?)>();
        for (int i = 0; i < 10; i++)
        {
            entries.Add(($"cats/{i}.png", TestImages.GrayPng(12, 10, i)));
            entries.Add(($"dogs/{i}.png", TestImages.GrayPng(12, 10, 100 + i)));
        }
        var zip = Zip(entries);
        var first = await service.Client.PostAsync("/datasets", Form(("file", "pets.zip", zip)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var dataset = await first.JsonAsync();
        string id = dataset["id"]!.GetValue<string>();
        Assert.Equal($"/datasets/{id}", first.Headers.Location!.OriginalString);
        Assert.Equal([1, 10, 12], new[] { "channels", "height", "width" }.Select(f => dataset[f]!.GetValue<int>()));
        Assert.Equal(["cats:0:8:2", "dogs:1:8:2"], dataset["classes"]!.AsArray().Select(c => $"{c!["name"]}:{c["label"]}:{c["train"]}:{c["validation"]}"));
        Assert.Equal(6, dataset["thumbnails"]!.AsArray().Count);
        Assert.All(dataset["thumbnails"]!.AsArray(), t => Assert.StartsWith("data:image/png;base64,iVBOR", t!["png"]!.GetValue<string>()));
        var kept = service.Kept();

        var again = await service.Client.PostAsync("/datasets", Form(("file", "renamed.zip", zip)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(kept, service.Kept());
        var listed = (await (await service.Client.GetAsync("/datasets")).JsonAsync())["items"]!.AsArray();
        Assert.Single(listed, d => d!["id"]!.GetValue<string>() == id);

        // Another split of the same bytes is another dataset.
        using var split = Form(("file", "pets.zip", zip));
        split.Add(new StringContent("0.5"), "validationFraction");
        var halves = await service.Client.PostAsync("/datasets", split);
        Assert.Equal(HttpStatusCode.Created, halves.StatusCode);
        var other = await halves.JsonAsync();
        Assert.NotEqual(id, other["id"]!.GetValue<string>());
        Assert.Equal(10, other["validationCount"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await service.Client.DeleteAsync($"/datasets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync($"/datasets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.DeleteAsync($"/datasets/{id}")).StatusCode);
        var after = service.Kept();
        Assert.Equal(kept.Datasets, after.Datasets);
        Assert.True(after.Chunks < kept.Chunks + 2, $"chunks {kept.Chunks} → {after.Chunks}");
    }

    [Fact]
    public async Task ValidationFilesAndCsvLayoutsAreStoredAndTrainedOn()
    {
        // IDX with its own validation pair: labels as given, no fraction held out.
        var images = IdxFiles.Images(24, 12, 12);
        var labels = IdxFiles.CyclingLabels(24);
        var idx = await service.Client.PostAsync("/datasets", Form(("file", "train.idx", images), ("labels", "train-labels.idx", labels),
            ("validation", "val.idx.gz", DatasetFiles.Gzip(IdxFiles.Images(6, 12, 12))), ("validationLabels", "val-labels.idx", IdxFiles.CyclingLabels(6))));
        var idxSet = await idx.JsonAsync();
        Assert.True(idx.StatusCode == HttpStatusCode.Created, idxSet.ToJsonString());
        Assert.Equal(["0:8:2", "1:8:2", "2:8:2"], idxSet["classes"]!.AsArray().Select(c => $"{c!["name"]}:{c["train"]}:{c["validation"]}"));

        // A validation zip must use the training zip's classes.
        var train = Zip([("a/0.png", TestImages.GrayPng(12, 12)), ("a/1.png", TestImages.GrayPng(12, 12, 1)), ("b/0.png", TestImages.GrayPng(12, 12, 2))]);
        var odd = Zip([("a/9.png", TestImages.GrayPng(12, 12)), ("c/9.png", TestImages.GrayPng(12, 12))]);
        await AssertRefusedAsync(Form(("file", "train.zip", train), ("validation", "odd.zip", odd)), HttpStatusCode.BadRequest, "validation", ["odd.zip", "'c/9.png'", "folder 'c'"]);

        // A CSV of 3-channel 8×8 images, pixels interleaved per pixel as numpy writes them, half held out.
        var csv = new StringBuilder("label," + string.Join(',', Enumerable.Range(0, 192).Select(i => $"p{i}")) + "\n");
        for (int n = 0; n < 8; n++) csv.Append(n % 2 == 0 ? 3 : 7).Append(',').AppendJoin(',', Enumerable.Range(0, 192).Select(i => i % 3 == 0 ? 255 : n)).Append('\n');
        using var form = Form(("file", "rgb.csv", Encoding.UTF8.GetBytes(csv.ToString())));
        foreach (var (name, value) in new[] { ("height", "8"), ("width", "8"), ("channels", "3"), ("validationFraction", "0.5"), ("name", "rgb squares") })
            form.Add(new StringContent(value), name);
        var rgb = await service.Client.PostAsync("/datasets", form);
        var rgbSet = await rgb.JsonAsync();
        Assert.True(rgb.StatusCode == HttpStatusCode.Created, rgbSet.ToJsonString());
        Assert.Equal(("rgb squares", 3, 8, 8, 4, 4), (rgbSet["name"]!.GetValue<string>(), rgbSet["channels"]!.GetValue<int>(), rgbSet["height"]!.GetValue<int>(),
            rgbSet["width"]!.GetValue<int>(), rgbSet["trainCount"]!.GetValue<int>(), rgbSet["validationCount"]!.GetValue<int>()));
        string rgbId = rgbSet["id"]!.GetValue<string>();

        // Jobs name it by id: unknown ids and labels it lacks are refused before anything runs.
        var unknown = await (await service.Client.PostJsonAsync("/jobs", """{"dataset": "ds-000000000000000000000000"}""")).JsonAsync();
        Assert.Contains("No uploaded dataset has the id", unknown["errors"]!["dataset"]![0]!.GetValue<string>());
        var missing = await (await service.Client.PostJsonAsync("/jobs", $$"""{"dataset": "{{rgbId}}", "classes": [3, 5]}""")).JsonAsync();
        Assert.Contains("has no label 5; its labels are 3 (3), 7 (7)", missing["errors"]!["classes"]![0]!.GetValue<string>());

        var job = await service.Client.TrainAsync($$"""{"dataset": "{{rgbId}}", "hidden": [8], "epochs": 1, "seed": 3}""", TimeSpan.FromMinutes(3));
        Assert.Equal([3, 7], job["spec"]!["classes"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Equal([3, 8, 8], job["input"]!.AsArray().Select(c => c!.GetValue<int>()));
        string modelId = job["modelId"]!.GetValue<string>();
        var image = Enumerable.Repeat(0.5f, 192).ToArray();
        var answer = await (await service.Client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { images = new[] { image }, modelId }))).JsonAsync();
        var prediction = answer["predictions"]![0]!;
        Assert.Equal(prediction["label"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture), prediction["className"]!.GetValue<string>());
        var wrong = await service.Client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { images = new[] { new float[784] }, modelId }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("exactly 192 values", (await wrong.JsonAsync())["errors"]!["images[0]"]![0]!.GetValue<string>());
    }

    private async Task AssertRefusedAsync(HttpContent content, HttpStatusCode status, string field, string[] phrases)
    {
        var before = service.Kept();
        using (content)
        {
            using var response = await service.Client.PostAsync("/datasets", content);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            output.WriteLine($"{(int)response.StatusCode} {problem.ToJsonString()}");
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            string message = problem["errors"]?[field]?[0]?.GetValue<string>() ?? problem["detail"]?.GetValue<string>() ?? problem[field]?.GetValue<string>() ?? "";
            Assert.False(string.IsNullOrEmpty(message), $"no message under '{field}': {problem.ToJsonString()}");
            foreach (string phrase in phrases) Assert.Contains(phrase, message, StringComparison.Ordinal);
        }
        Assert.Equal(before, service.Kept());
    }

    private static MultipartFormDataContent Form(params (string Name, string FileName, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, fileName, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, name, fileName);
        }
        return form;
    }

    private static byte[] Zip(IEnumerable<(string Name, byte[]? Body)> entries) => DatasetFiles.ZipBytes(entries);

    /// <summary>A body sent with chunked transfer encoding: no Content-Length for the server to refuse up front.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] body;

        public ChunkedContent(byte[] body, MediaTypeHeaderValue type)
        {
            this.body = body;
            Headers.ContentType = type;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int at = 0; at < body.Length; at += 65536) await stream.WriteAsync(body.AsMemory(at, Math.Min(65536, body.Length - at)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
