namespace LipService.Training.Jobs;

/// <summary>
/// What runners report for monitoring. An interface so that this project stays free of any
/// monitoring library: the host decides where the numbers go.
/// </summary>
public interface ITrainingMetrics
{
    /// <summary>An epoch ended and was stored, after <paramref name="seconds"/> of training.</summary>
    void EpochCompleted(double seconds);

    /// <summary>A runner of this process ended a job with <paramref name="status"/> (succeeded, failed or cancelled).</summary>
    void JobFinished(JobStatus status);
}
