using LipService.Training.Specs;

namespace LipService.Training.Jobs;

/// <summary>A training job as stored.</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    public required JobStatus Status { get; init; }

    public required TrainingSpec Spec { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public int EpochsCompleted { get; init; }

    public string? ModelId { get; init; }

    public string? Error { get; init; }

    public bool CancelRequested { get; init; }

    /// <summary>The runner holding the job's lease, while one does.</summary>
    public RunnerId? LeaseOwner { get; init; }

    /// <summary>The sweep this job belongs to, if any.</summary>
    public string? SweepId { get; init; }

    /// <summary>The Hangfire queue the job was sent to, chosen by the spec's device (see the host's routing options).</summary>
    public required string Queue { get; init; }
}
