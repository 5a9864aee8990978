using System.Net;
using LipService.Api.Tests.Http;
using LipService.Api.Tests.Storage;

namespace LipService.Api.Tests.EndToEnd;

/// <summary>
/// The real service on a small tmpfs that a filler file fills up: submitting answers 507 naming the
/// cause and stores nothing, readiness turns Unhealthy saying why, and both recover once space is freed.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private readonly string disk = Directory.CreateTempSubdirectory("lipservice-full-").FullName;

    public FullDiskTests() => Mounts.Tmpfs(disk, "size=8m");

    [Fact]
    public async Task FullDiskIsReportedAndNothingIsStored()
    {
        using var service = await ServiceProcess.StartAsync(disk);
        var client = service.Client;
        int before = (await (await client.GetAsync("/jobs")).JsonAsync())["total"]!.GetValue<int>();
        string database = Path.Combine(disk, "lipservice.db");

        string filler = Path.Combine(disk, "filler");
        Fill(filler);

        var refused = await client.PostJsonAsync("/jobs", """{"epochs": 1}""");
        string body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.InsufficientStorage, $"POST /jobs on a full disk: {(int)refused.StatusCode} {body}\n{service.Log}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.JsonAsync();
        Assert.Equal(507, problem["status"]!.GetValue<int>());
        string detail = problem["detail"]!.GetValue<string>();
        Assert.Contains(database, detail);
        Assert.Contains("full", detail);
        Assert.Contains("Free space", detail);

        var unready = await client.GetAsync("/health/ready");
        string report = await unready.Content.ReadAsStringAsync();
        Assert.True(unready.StatusCode == HttpStatusCode.ServiceUnavailable, $"/health/ready on a full disk: {(int)unready.StatusCode} {report}");
        Assert.StartsWith("Unhealthy", report);
        Assert.Contains(database, report);

        File.Delete(filler);

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(before, (await (await client.GetAsync("/jobs")).JsonAsync())["total"]!.GetValue<int>());

        // Nothing stuck: the store takes the next job and lets it be cancelled.
        var accepted = await client.PostJsonAsync("/jobs", """{"epochs": 1}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.JsonAsync())["id"]!.GetValue<string>();
        Assert.Equal(before + 1, (await (await client.GetAsync("/jobs")).JsonAsync())["total"]!.GetValue<int>());
        var cancelled = await client.DeleteAsync($"/jobs/{id}");
        Assert.True(cancelled.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"DELETE: {(int)cancelled.StatusCode}");
    }

    public void Dispose()
    {
        Mounts.Unmount(disk);
        Directory.Delete(disk, recursive: true);
    }

    /// <summary>Writes until the disk refuses, a page at a time so that no free page is left over.</summary>
    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        byte[] page = new byte[4096];
        try
        {
            while (true) stream.Write(page);
        }
        catch (IOException)
        {
            // No space left on device: full, which is the point.
        }
    }
}
