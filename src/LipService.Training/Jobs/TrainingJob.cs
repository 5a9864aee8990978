using LipService.Training.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LipService.Training.Jobs;

/// <summary>
/// The Hangfire entry point: trains the job stored under an id, resuming from its last checkpoint,
/// and stores the model. Safe to run twice: a runner must hold the job's lease to write anything.
/// </summary>
public sealed partial class TrainingJob(
    IJobRunStore store,
    ITrainingDataSource data,
    RunningJobs runningJobs,
    IOptions<TrainingJobOptions> options,
    ILogger<TrainingJob> logger,
    ITrainingMetrics? metrics = null,
    IModelStoredListener? modelStored = null)
{
    private readonly ITrainingMetrics monitoring = metrics ?? NoTrainingMetrics.Instance;

    /// <summary>
    /// Training errors are recorded on the job and not retried (they would fail again). What
    /// escapes is a lease held by a live runner or a shutdown: the host has Hangfire retry those
    /// later. Hangfire stores jobs by type and method name: keep both.
    /// </summary>
    public async Task RunAsync(string jobId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });
        var job = await store.GetJobAsync(jobId, cancellationToken);
        if (job is null || job.Status.IsTerminal()) return;

        var runner = RunnerId.NewInThisProcess();
        var settings = options.Value;
        if (!await store.TryAcquireAsync(jobId, runner, settings.LeaseDuration, cancellationToken))
            throw new JobLeaseException(jobId, $"Job {jobId} is held by another live runner; retrying later.");
        if (job.CancelRequested)
        {
            await FinishAsync(jobId, runner, JobStatus.Cancelled, null);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = new JobWatch(store, jobId, runner, settings, stop);
        using var registration = runningJobs.Register(jobId, watch);
        var watching = watch.RunAsync();
        try
        {
            await TrainAndStoreAsync(job, runner, settings, stop.Token);
        }
        catch (OperationCanceledException) when (watch.CancelRequested)
        {
            await FinishAsync(jobId, runner, JobStatus.Cancelled, null);
            LogCancelled(logger);
        }
        catch (Exception e) when (watch.LeaseLost || e is JobLeaseException)
        {
            // Another runner owns the job now; it writes the outcome.
            LogLeaseLost(logger, runner);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: the job stays running in the store and resumes from its checkpoint.
            throw;
        }
        catch (Exception e)
        {
            LogFailed(logger, e);
            await FinishAsync(jobId, runner, JobStatus.Failed, TrainingFailure.Describe(e));
        }
        finally
        {
            await watch.StopAsync(watching);
            NativeHeap.ReleaseFreed();
        }
    }

    /// <summary>Trains the job from its last checkpoint and stores its model, while this runner holds the lease.</summary>
    private async Task TrainAndStoreAsync(JobRecord job, RunnerId runner, TrainingJobOptions settings, CancellationToken stop)
    {
        TorchRuntime.ConfigureThreads(settings.IntraOpThreads);
        LogStarting(logger, job.EpochsCompleted);
        var (train, test) = data.Get(job.Spec, stop);
        // Each epoch runs synchronously (TorchSharp's dispose scopes and no_grad are per thread); only the checkpoint between epochs is awaited.
        using var result = await new LipschitzTrainer().TrainAsync(job.Spec, train, test, job.Id, new JobCheckpoints(store, runner, settings.KillAfterCheckpointOfEpoch), new JobProgress(logger, monitoring), stop);
        var model = new ModelRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            JobId = job.Id,
            Spec = job.Spec,
            CreatedAt = DateTimeOffset.UtcNow,
            LipschitzBound = result.LipschitzBound,
            LipschitzLowerBound = result.LipschitzLowerBound,
            LayerGains = result.LayerGains,
            TrainableParameters = result.Network.CountParameters().Trainable,
            Metrics = result.FinalMetrics,
            CertifiedAccuracy = result.CertifiedAccuracy,
        };
        if (!await store.CompleteAsync(job.Id, runner, model, result.Exported.Serialize(), result.History, CancellationToken.None))
            throw new JobLeaseException(job.Id, $"Runner {runner} lost the lease of job {job.Id} before storing its model.");
        monitoring.JobFinished(JobStatus.Succeeded);
        modelStored?.ModelStored(model.Id);
        LogSucceeded(logger, model.Id, result.FinalMetrics.ValAccuracy, result.LipschitzBound);
    }

    /// <summary>Ends the job; counted only when this runner still held it, so a job is counted once.</summary>
    private async Task FinishAsync(string jobId, RunnerId runner, JobStatus status, string? error)
    {
        if (await store.FinishAsync(jobId, runner, status, error, CancellationToken.None)) monitoring.JobFinished(status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training starts after epoch {EpochsCompleted}")]
    private static partial void LogStarting(ILogger logger, int epochsCompleted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training succeeded: model {ModelId}, val accuracy {ValAccuracy:F4}, Lipschitz bound {Bound:F6}")]
    private static partial void LogSucceeded(ILogger logger, string modelId, double valAccuracy, double bound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training cancelled on request")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runner {Runner} lost its lease; another runner carries the job on")]
    private static partial void LogLeaseLost(ILogger logger, RunnerId runner);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
