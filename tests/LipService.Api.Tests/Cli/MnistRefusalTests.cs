using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LipService.Api.Tests.EndToEnd;

namespace LipService.Api.Tests.Cli;

/// <summary>Without MNIST and without downloading, a job is refused when submitted rather than failed later.</summary>
public sealed class MnistRefusalTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("lipservice-nomnist-").FullName;

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

    public void Dispose()
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The killed service may still hold the SQLite file for a moment.
        }
    }
}
