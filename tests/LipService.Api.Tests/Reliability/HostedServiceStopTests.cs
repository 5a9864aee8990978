using LipService.Api.Hosting;
using LipService.Api.TrainingData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LipService.Api.Tests.Reliability;

/// <summary>
/// Under WebApplicationFactory the host is stopped twice at once: by the factory's dispose and by
/// Program's own RunAsync, which disposes the host when its stop returns. The factory's stop can
/// therefore reach a hosted service after that service was disposed (CI saw MnistDownload throw
/// ObjectDisposedException from a test's dispose). Every hosted service must take a stop after
/// its dispose, and two stops at once, quietly.
/// </summary>
public sealed class HostedServiceStopTests
{
    private sealed class GrpcFactory : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Grpc:Port"] = Cli.Executable.FreePort().ToString(),
            // Makes MnistDownload start an attempt, so its stop has a download to cancel.
            ["Mnist:Download"] = "true",
            ["Mnist:Directory"] = Path.Combine(DataDirectory, "no-mnist-here"),
            ["Mnist:Mirrors:0"] = "http://127.0.0.1:9/",
        };
    }

    [Fact]
    public async Task EveryHostedServiceTakesAStopAfterTheHostWasDisposed()
    {
        IHostedService[] hosted;
        using (var factory = new GrpcFactory())
        {
            hosted = [.. factory.Services.GetServices<IHostedService>()];
            Assert.Contains(hosted, s => s is MnistDownload);
            Assert.Contains(hosted, s => s is GrpcInferenceHost); // a second web host inside ours
        }

        foreach (var service in hosted)
        {
            var error = await Record.ExceptionAsync(() => service.StopAsync(CancellationToken.None));
            Assert.True(error is null, $"{service.GetType().Name}.StopAsync after dispose threw {error}");
        }
    }

    [Fact]
    public async Task MnistDownloadStopsOnceWhenStoppedTwiceAtOnceAndDisposedBetween()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Training.Data.MnistOptions
        {
            Directory = Path.Combine(Path.GetTempPath(), $"lipservice-no-mnist-{Guid.NewGuid():N}"),
            Mirrors = ["http://127.0.0.1:9/"],
        });
        var download = new MnistDownload(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<MnistDownload>.Instance);
        download.Start();

        var first = download.StopAsync(CancellationToken.None);
        download.Dispose();
        var second = download.StopAsync(CancellationToken.None);
        await Task.WhenAll(first, second);
        download.Start(); // after the stop nothing starts again, and nothing reads the disposed source
        Assert.True(first.IsCompletedSuccessfully && second.IsCompletedSuccessfully);
    }
}
