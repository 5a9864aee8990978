namespace LipService.Training.Jobs;

/// <summary>Another runner holds (or took over) the job's lease; this runner must not write to it.</summary>
public sealed class JobLeaseException(string jobId, string message) : Exception(message)
{
    public string JobId { get; } = jobId;
}
