using LipService.Training.Jobs;
using Microsoft.Extensions.Options;

namespace LipService.Api.Serving;

/// <summary>
/// Keeps the model that answers requests without a modelId loaded from the moment it changes
/// (<see cref="ServingOptions.PreloadDefaultModel"/>): at once when a runner of this process stores
/// a model, otherwise within a second (models stored by other processes, a moved default alias); and
/// runs the JSON path of /predict on it in-process (<see cref="ImageScoring.PreloadDefaultAsync"/>).
/// </summary>
/// <remarks>
/// Failures are left to the requests: a store that cannot be read here answers 503 there, with the
/// reason. Only a new default model is loaded, so clients asking for other models by id keep the
/// cache's order as they use it.
/// </remarks>
internal sealed partial class DefaultModelPreloader(
    ImageScoring scoring, IOptions<ServingOptions> options, ILogger<DefaultModelPreloader> logger)
    : BackgroundService, IModelStoredListener
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Not disposed: a job may announce its model while the host stops, and a SemaphoreSlim whose wait
    // handle was never asked for holds nothing to release.
    private readonly SemaphoreSlim stored = new(0);

    public void ModelStored(string modelId) => stored.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PreloadDefaultModel) return;
        string? preloaded = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool announced = await stored.WaitAsync(Interval, stoppingToken);
                try
                {
                    preloaded = await scoring.PreloadDefaultAsync(preloaded, reread: announced, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPreloadFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Preloading the default model failed; requests will load it: {Reason}")]
    private static partial void LogPreloadFailed(ILogger logger, string reason);
}
