using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LipService.Api.Tests;

/// <summary>The whole service in-process (role all: HTTP, store, Hangfire server) on a temporary data folder, reading MNIST from the workspace copy.</summary>
public class LipServiceFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("lipservice-api-").FullName;

    /// <summary>Extra settings a test class needs (e.g. an API key).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Data:Directory", DataDirectory);
        builder.UseSetting("Mnist:Directory", WorkspaceData.MnistDirectory);
        builder.UseSetting("Mnist:Download", "false");
        builder.UseSetting("Training:WatchInterval", "00:00:00.100");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}
