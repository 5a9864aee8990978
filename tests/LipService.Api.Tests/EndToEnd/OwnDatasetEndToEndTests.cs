using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;
using Xunit.Abstractions;

namespace LipService.Api.Tests.EndToEnd;

/// <summary>
/// The README's "your own data" example end to end: the sample script draws a 3-class shapes set, the
/// real executable stores it, trains a convolutional model on it and answers fresh drawings with the
/// right class names and radii that the PGD attack of /attack cannot break.
/// </summary>
public sealed class OwnDatasetEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Shapes = ["circle", "cross", "triangle"];

    private readonly TempFolder data = new("lipservice-own-data-");
    private readonly TempFolder files = new("lipservice-shapes-");

    [Fact]
    public async Task ADrawnShapesSetTrainsAConvModelWhoseCertificatesSurviveAttack()
    {
        string training = Path.Combine(files.Path, "shapes.zip"), fresh = Path.Combine(files.Path, "fresh.zip");
        await DrawAsync(training, perClass: 300, seed: 11);
        await DrawAsync(fresh, perClass: 3, seed: 12345);

        using var service = await ServiceProcess.StartAsync(data.Path);
        var client = service.Client;
        using var upload = Form("file", "shapes.zip", await File.ReadAllBytesAsync(training));
        var created = await client.PostAsync("/datasets", upload);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dataset = await created.JsonAsync();
        string datasetId = dataset["id"]!.GetValue<string>();
        Assert.Equal(Shapes, dataset["classes"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(720, dataset["trainCount"]!.GetValue<int>());

        var submitted = await client.PostJsonAsync("/jobs", JsonSerializer.Serialize(new { preset = "mnist10-conv", dataset = datasetId, epochs = 20, seed = 1 }));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        string jobId = (await submitted.JsonAsync())["id"]!.GetValue<string>();
        // The job's data must stay while it may still read it.
        var inUse = await client.DeleteAsync($"/datasets/{datasetId}");
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.Contains("queued or running job", await inUse.Content.ReadAsStringAsync());

        var job = await client.WaitForEndAsync(jobId, TimeSpan.FromMinutes(10));
        ApiClient.AssertStatus(job, "succeeded");
        Assert.Equal([1, 32, 32], job["input"]!.AsArray().Select(v => v!.GetValue<int>()));
        Assert.Equal(Shapes, job["classNames"]!.AsArray().Select(v => v!.GetValue<string>()));
        string modelId = job["modelId"]!.GetValue<string>();

        // Deleting the dataset leaves the model whole: it names its classes from its own spec.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/datasets/{datasetId}")).StatusCode);

        var drawings = FreshDrawings(fresh);
        using var form = new MultipartFormDataContent();
        foreach (var (shape, name, png) in drawings) form.Add(Part(png), "files", name);
        form.Add(new StringContent(modelId), "modelId");
        var answered = await client.PostAsync("/predict?includeInput=true", form);
        var answer = await answered.JsonAsync();
        Assert.True(answered.IsSuccessStatusCode, answer.ToJsonString());
        var predictions = answer["predictions"]!.AsArray();
        for (int i = 0; i < drawings.Count; i++)
            output.WriteLine($"{drawings[i].Name}: {predictions[i]!["className"]} radius {predictions[i]!["certifiedRadius"]}");

        // The first fresh drawing of each class, and nearly all of them, get the right class by label and name.
        int right = 0;
        for (int i = 0; i < drawings.Count; i++)
        {
            int label = predictions[i]!["label"]!.GetValue<int>();
            bool correct = Shapes[label] == drawings[i].Shape && predictions[i]!["className"]!.GetValue<string>() == drawings[i].Shape;
            if (correct) right++;
            else Assert.False(drawings[i].Name.EndsWith("-0000.png", StringComparison.Ordinal), $"{drawings[i].Name} was answered {Shapes[label]}");
        }
        Assert.True(right >= drawings.Count - 1, $"{right}/{drawings.Count} fresh drawings right");

        // Each answer's radius survives the attack: any flip it finds lies at least the radius away.
        for (int i = 0; i < drawings.Count; i++)
        {
            var image = predictions[i]!["input"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            Assert.Equal(1024, image.Length);
            double radius = predictions[i]!["certifiedRadius"]!.GetValue<double>();
            var attacked = await client.PostJsonAsync("/attack", JsonSerializer.Serialize(new { modelId, image, steps = 100 }));
            var result = await attacked.JsonAsync();
            Assert.True(attacked.IsSuccessStatusCode, result.ToJsonString());
            // /predict scored nine images in one libtorch call, /attack this one alone: float32 sums of
            // scores near 1 that may round a few ulps (1.2e-7 each) apart, divided by √2·L ≈ 1.4.
            double attackedRadius = result["certifiedRadius"]!.GetValue<double>();
            Assert.InRange(attackedRadius, radius - 1e-5, radius + 1e-5);
            var attack = result["attack"]!;
            output.WriteLine($"{drawings[i].Name}: radius {radius:F3}, attack found {attack["found"]} at {attack["distance"]}");
            if (attack["found"]!.GetValue<bool>()) Assert.True(attack["distance"]!.GetValue<double>() >= attackedRadius, result.ToJsonString());
        }

        // An image of another size is refused, naming the size the model takes.
        using var wrong = new MultipartFormDataContent { { Part(Imaging.DigitImages.Png(new byte[784])), "files", "digit.png" } };
        wrong.Add(new StringContent(modelId), "modelId");
        var refused = await client.PostAsync("/predict", wrong);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("32×32", await refused.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    /// <summary>Runs samples/shapes.cs as the README does.</summary>
    private async Task DrawAsync(string zip, int perClass, int seed)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "run", "samples/shapes.cs", "--", zip, "--per-class", $"{perClass}", "--seed", $"{seed}" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
        output.WriteLine(await stdout);
        Assert.True(process.ExitCode == 0, $"samples/shapes.cs exited {process.ExitCode}: {await stdout}{await stderr}");
    }

    private static List<(string Shape, string Name, byte[] Png)> FreshDrawings(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return (e.FullName.Split('/')[0], e.Name, bytes.ToArray());
        })];
    }

    private static ByteArrayContent Part(byte[] bytes)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return part;
    }

    private static MultipartFormDataContent Form(string name, string fileName, byte[] bytes) => new() { { new ByteArrayContent(bytes), name, fileName } };
}
