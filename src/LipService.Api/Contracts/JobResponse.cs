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
    /// <summary>The images the network takes: channels, height, width (1, 28, 28 for MNIST and Fashion-MNIST, an uploaded dataset's own otherwise).</summary>
    public IReadOnlyList<int> Input { get; init; } = [];

    /// <summary>The name of each of the spec's classes, in their order: a digit, an item, a folder's name or a label value.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    public static JobResponse From(JobRecord job) => new(
        job.Id, job.Status.ToWire(), TrainingSpecResponse.From(job.Spec), job.CreatedAt, job.StartedAt, job.FinishedAt,
        job.EpochsCompleted, job.Spec.Epochs, job.ModelId, job.Error,
        job.LeaseOwner?.Process, job.SweepId)
    {
        Input = TrainedShape.Input(job.Spec),
        ClassNames = TrainedShape.ClassNames(job.Spec),
    };
}
