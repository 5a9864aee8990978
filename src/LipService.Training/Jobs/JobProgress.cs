using LipService.Training.Engine;
using Microsoft.Extensions.Logging;

namespace LipService.Training.Jobs;

/// <summary>Writes each epoch to the store (fenced by the runner's lease) and logs it.</summary>
internal sealed partial class JobProgress(IJobRunStore store, string jobId, RunnerId runner, ILogger logger) : ITrainingProgress
{
    public void EpochCompleted(EpochMetrics metrics)
    {
        // Called on the training thread between epochs, outside any dispose scope.
        if (!store.RecordEpochAsync(jobId, runner, metrics).GetAwaiter().GetResult())
            throw new JobLeaseException(jobId, $"Runner {runner} lost the lease of job {jobId}; epoch {metrics.Epoch} was not recorded.");
        LogEpoch(logger, metrics.Epoch, metrics.Loss, metrics.ValAccuracy, metrics.ValKr, metrics.Seconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}: loss {Loss:F4}, val accuracy {ValAccuracy:F4}, val KR {ValKr:F3}, {Seconds:F2} s")]
    private static partial void LogEpoch(ILogger logger, int epoch, double loss, double valAccuracy, double valKr, double seconds);
}
