using LipService.Training.Engine;
using Microsoft.Extensions.Logging;

namespace LipService.Training.Jobs;

/// <summary>Logs and counts each epoch of a job; its row is already stored, with the checkpoint (<see cref="JobCheckpoints"/>).</summary>
internal sealed partial class JobProgress(ILogger logger, ITrainingMetrics monitoring) : ITrainingProgress
{
    public void EpochCompleted(EpochMetrics metrics)
    {
        LogEpoch(logger, metrics.Epoch, metrics.Loss, metrics.ValAccuracy, metrics.ValKr, metrics.Seconds);
        monitoring.EpochCompleted(metrics.Seconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}: loss {Loss:F4}, val accuracy {ValAccuracy:F4}, val KR {ValKr:F3}, {Seconds:F2} s")]
    private static partial void LogEpoch(ILogger logger, int epoch, double loss, double valAccuracy, double valKr, double seconds);
}
