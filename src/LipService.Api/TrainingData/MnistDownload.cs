using LipService.Training.Data;
using Microsoft.Extensions.Options;

namespace LipService.Api.TrainingData;

/// <summary>
/// Fetches missing MNIST files in the background as soon as a process that runs jobs starts (when
/// downloading is on), and remembers a failure: a job submitted where the files cannot be had is
/// then refused at once (<see cref="TrainingDataCheck"/>) instead of failing after it was
/// accepted. Each refusal starts another attempt, so a network that comes back is noticed.
/// </summary>
public sealed partial class MnistDownload(IOptions<MnistOptions> options, ILogger<MnistDownload> logger) : IHostedService, IDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;
    private Task? stopped;
    private bool disposed;
    private volatile MnistUnavailableException? lastFailure;

    /// <summary>Why the last attempt failed; null before any attempt and after one that succeeded.</summary>
    public MnistUnavailableException? LastFailure => lastFailure;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Download && MnistFile.All.Any(f => !File.Exists(Path.Combine(options.Value.Directory, f.FileName)))) Start();
        return Task.CompletedTask;
    }

    /// <summary>Starts an attempt unless one is under way.</summary>
    public void Start()
    {
        lock (gate)
        {
            if (!running.IsCompleted || stopped is not null) return;
            running = Task.Run(DownloadAsync);
        }
    }

    private async Task DownloadAsync()
    {
        var loader = new MnistLoader(options.Value);
        try
        {
            LogDownloading(logger, loader.DataDirectory);
            await loader.DownloadMissingAsync(stopping.Token);
            lastFailure = null;
            LogDownloaded(logger, loader.DataDirectory);
        }
        catch (MnistUnavailableException e)
        {
            lastFailure = e;
            LogFailed(logger, e.Message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down; a download left half-way leaves only a .part file, ignored next time.
        }
    }

    /// <remarks>
    /// Stopping is done once and shared: under WebApplicationFactory the host is stopped twice at
    /// once (by the test's dispose, and by Program's RunAsync, which then disposes the host), so a
    /// second stop may come after <see cref="Dispose"/> and must not touch the disposed source.
    /// </remarks>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (gate) return stopped ??= disposed ? Task.CompletedTask : CancelDownloadAsync(cancellationToken);
    }

    private async Task CancelDownloadAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            stopped ??= Task.CompletedTask;
        }
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MNIST: downloading the missing files into {MnistDirectory}")]
    private static partial void LogDownloading(ILogger logger, string mnistDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "MNIST: downloaded into {MnistDirectory}")]
    private static partial void LogDownloaded(ILogger logger, string mnistDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MNIST could not be downloaded; jobs are refused until it is there: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
