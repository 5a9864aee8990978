namespace LipService.Training.Jobs;

/// <summary>The <see cref="ITrainingMetrics"/> of a runner nobody monitors (tests, tools).</summary>
public sealed class NoTrainingMetrics : ITrainingMetrics
{
    public static NoTrainingMetrics Instance { get; } = new();

    private NoTrainingMetrics()
    {
    }

    public void EpochCompleted(double seconds)
    {
    }

    public void JobFinished(JobStatus status)
    {
    }
}
