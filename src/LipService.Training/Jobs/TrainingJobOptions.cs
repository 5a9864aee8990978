namespace LipService.Training.Jobs;

/// <summary>Settings of the training job runner (configuration section "Training").</summary>
public sealed class TrainingJobOptions
{
    public const string SectionName = "Training";

    /// <summary>libtorch intra-op threads per process; one is fastest for these small matrices on few cores.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>How long a runner's claim on a job lasts without renewal; a dead runner's job is free again after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a runner renews its lease and looks for a cancel request.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Fault injection for tests only: the process kills itself right after the checkpoint of this
    /// epoch commits, as a SIGKILL at the worst moment would. Unset in every real deployment.
    /// </summary>
    public int? KillAfterCheckpointOfEpoch { get; set; }
}
