namespace LipService.Training.Jobs;

/// <summary>Lifecycle of a training job; the lower-case names are the wire values.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class JobStatusExtensions
{
    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    public static string ToWire(this JobStatus status) => status.ToString().ToLowerInvariant();

    public static JobStatus ParseWire(string value) => Enum.Parse<JobStatus>(value, ignoreCase: true);
}
