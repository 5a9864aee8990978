using LipService.Training.Jobs;

namespace LipService.Api.Contracts;

/// <summary>A training job.</summary>
/// <param name="Id">Opaque id.</param>
/// <param name="Status">queued, running, succeeded, failed or cancelled.</param>
/// <param name="Spec">The spec with every default filled in (the seed too).</param>
/// <param name="EpochsCompleted">Epochs finished so far.</param>
/// <param name="Epochs">Epochs asked for.</param>
/// <param name="ModelId">The trained model, once succeeded.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Worker">The process running it ("host/pid"), while one is.</param>
/// <param name="SweepId">The sweep it belongs to, if any.</param>
public sealed record JobResponse(
    string Id,
    string Status,
    TrainingSpecResponse Spec,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int EpochsCompleted,
    int Epochs,
    string? ModelId,
    string? Error,
    string? Worker,
    string? SweepId)
{
    public static JobResponse From(JobRecord job) => new(
        job.Id, job.Status.ToWire(), TrainingSpecResponse.From(job.Spec), job.CreatedAt, job.StartedAt, job.FinishedAt,
        job.EpochsCompleted, job.Spec.Epochs, job.ModelId, job.Error,
        job.LeaseOwner?.Process, job.SweepId);
}
