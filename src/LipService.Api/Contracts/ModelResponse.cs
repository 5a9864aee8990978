using LipService.Training.Jobs;

namespace LipService.Api.Contracts;

/// <summary>A trained model.</summary>
/// <param name="LipschitzBound">L: the product of the exported kernels' largest singular values (SVD of the stored weights). Radii are |f(x)|/L.</param>
/// <param name="CertifiedAccuracy">Fraction of test digits classified correctly with a certified L2 radius above each ε (pixels in [0, 1]).</param>
/// <param name="WeightsUrl">Where the exported weights (TorchSharp module format) can be downloaded.</param>
public sealed record ModelResponse(
    string Id,
    string JobId,
    TrainingSpecResponse Spec,
    DateTimeOffset CreatedAt,
    double LipschitzBound,
    long TrainableParameters,
    EpochMetricsResponse Metrics,
    IReadOnlyList<CertifiedAccuracyResponse> CertifiedAccuracy,
    string WeightsUrl)
{
    public static ModelResponse From(ModelRecord model) => new(
        model.Id, model.JobId, TrainingSpecResponse.From(model.Spec), model.CreatedAt, model.LipschitzBound, model.TrainableParameters,
        EpochMetricsResponse.From(model.Metrics), CertifiedAccuracyResponse.From(model.CertifiedAccuracy), $"/models/{model.Id}/weights");
}
