using LipService.Training.Jobs;
using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>A training job.</summary>
/// <param name="Id">Opaque id.</param>
/// <param name="Status">queued, running, succeeded, failed or cancelled.</param>
/// <param name="Spec">The spec with every default filled in (the seed too).</param>
/// <param name="EpochsCompleted">Epochs finished so far.</param>
/// <param name="Epochs">Epochs asked for.</param>
/// <param name="ModelId">The trained model, once succeeded.</param>
/// <param name="Error">Why it failed.</param>
public sealed record JobResponse(
    string Id,
    string Status,
    TrainingSpec Spec,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int EpochsCompleted,
    int Epochs,
    string? ModelId,
    string? Error)
{
    public static JobResponse From(JobRecord job) => new(
        job.Id, job.Status.ToWire(), job.Spec, job.CreatedAt, job.StartedAt, job.FinishedAt,
        job.EpochsCompleted, job.Spec.Epochs, job.ModelId, job.Error);
}
