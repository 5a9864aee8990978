using LipService.Training.Engine;

namespace LipService.Training.Tests.Engine;

internal sealed class CallbackProgress(Action<EpochMetrics> callback) : ITrainingProgress
{
    public void EpochCompleted(EpochMetrics metrics) => callback(metrics);
}
