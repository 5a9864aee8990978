using LipService.Training.Jobs;

namespace LipService.Training.Tests.Jobs;

/// <summary>What a runner reported for monitoring, in order.</summary>
internal sealed class RecordingTrainingMetrics : ITrainingMetrics
{
    public List<double> EpochSeconds { get; } = [];

    public List<JobStatus> Finished { get; } = [];

    public void EpochCompleted(double seconds) => EpochSeconds.Add(seconds);

    public void JobFinished(JobStatus status) => Finished.Add(status);
}
