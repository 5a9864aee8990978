using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LipService.Api.Tests.EndToEnd;

namespace LipService.Api.Tests.Cli;

/// <summary>Without MNIST and without downloading, a job is refused when submitted rather than failed later.</summary>
public sealed class MnistRefusalTests : IDisposable
{
    private readonly TempFolder folder = new("lipservice-nomnist-");

    private string dataDirectory => folder.Path;

    [Fact]
    public async Task JobsAndSweepsAreRefusedNamingTheFolderAndTheFix()
    {
        string empty = Directory.CreateDirectory(Path.Combine(dataDirectory, "empty-mnist")).FullName;
        using var service = await ServiceProcess.StartAsync(dataDirectory, "--Mnist:Directory", empty, "--Mnist:Download", "false");

        foreach (var (path, body) in new[] { ("/jobs", """{"epochs": 1}"""), ("/sweeps", """{"base": {"epochs": 1}, "seed": [1, 2]}""") })
        {
            var response = await service.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            string detail = problem["detail"]!.GetValue<string>();
            Assert.Contains(empty, detail);
            Assert.Contains("train-images-idx3-ubyte.gz", detail);
            Assert.Contains("Mnist:Download", detail);
            Assert.Equal(empty, problem["directory"]!.GetValue<string>());
        }

        var jobs = JsonNode.Parse(await service.Client.GetStringAsync("/jobs"))!;
        Assert.Equal(0, jobs["total"]!.GetValue<int>());
        Assert.Contains("Mnist:Download is off", service.Log);
    }

    [Fact]
    public async Task AJobIsRefusedOnceTheDownloadHasFailedAndTheFailureIsNamed()
    {
        string empty = Directory.CreateDirectory(Path.Combine(dataDirectory, "offline-mnist")).FullName;
        string mirror = $"http://127.0.0.1:{Executable.FreePort()}/mnist/";
        using var service = await ServiceProcess.StartAsync(dataDirectory, "--Mnist:Directory", empty, "--Mnist:Download", "true", "--Mnist:Mirrors:0", mirror);

        // The download starts with the service and fails at once (nothing listens on the mirror's port).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!service.Log.Contains("MNIST could not be downloaded") && DateTime.UtcNow < deadline) await Task.Delay(100);
        var response = await service.Client.PostAsync("/jobs", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("MNIST could not be downloaded", problem["title"]!.GetValue<string>());
        string detail = problem["detail"]!.GetValue<string>();
        foreach (string part in new[] { empty, "train-images-idx3-ubyte.gz", mirror, "To fix" }) Assert.Contains(part, detail);
        Assert.Equal(0, JsonNode.Parse(await service.Client.GetStringAsync("/jobs"))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task FashionMnistJobsAreRefusedNamingThePackageWhileMnistJobsAreNot()
    {
        string empty = Directory.CreateDirectory(Path.Combine(dataDirectory, "empty-fashion")).FullName;
        using var service = await ServiceProcess.StartAsync(dataDirectory, "--Mnist:Directory", WorkspaceData.MnistDirectory, "--Mnist:Download", "false", "--FashionMnist:Directory", empty);

        var response = await service.Client.PostAsync("/jobs", new StringContent("""{"preset": "fashion-conv"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Fashion-MNIST is not available", problem["title"]!.GetValue<string>());
        string detail = problem["detail"]!.GetValue<string>();
        foreach (string part in new[] { empty, "t10k-images-idx3-ubyte.gz", "apt-get install dataset-fashion-mnist", "FashionMnist:Directory" }) Assert.Contains(part, detail);
        Assert.Equal(0, JsonNode.Parse(await service.Client.GetStringAsync("/jobs"))!["total"]!.GetValue<int>());
        Assert.Contains($"Fashion-MNIST: {empty}, missing", service.Log);

        // MNIST is there: a digits job is queued as before.
        var digits = await service.Client.PostAsync("/jobs", new StringContent("""{"epochs": 1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, digits.StatusCode);
    }

    public void Dispose() => folder.Dispose();
}
