using LipService.Api.Storage;
using LipService.Training.Jobs;

namespace LipService.Api.Jobs;

/// <summary>
/// At start-up of an embedded process (in-memory queue): frees the leases of the process that died
/// and queues again every job that was queued or running, to resume from its last checkpoint.
/// </summary>
public sealed partial class JobRecovery(IJobCatalog store, JobScheduler scheduler, ILogger<JobRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.ReleaseAllLeasesAsync(cancellationToken);
        foreach (var job in await store.ListUnfinishedJobsAsync(cancellationToken))
        {
            scheduler.Enqueue(job);
            LogRequeued(logger, job.Id, job.Status.ToWire(), job.EpochsCompleted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-queued job {JobId} ({Status}, {EpochsCompleted} epochs done)")]
    private static partial void LogRequeued(ILogger logger, string jobId, string status, int epochsCompleted);
}
