using LipService.Training.Jobs;
using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>A trained model.</summary>
/// <param name="Classes">The labels the model tells apart, in the order of its outputs (and of a prediction's scores).</param>
/// <param name="Architecture">dense, conv, ortho-conv or ortho-conv-unshuffle.</param>
/// <param name="LipschitzBound">L, a proven upper bound computed from the stored weights: the product of each layer's bound (largest singular value of a dense kernel; for a convolution, the circulant or reshaped-kernel bound at its input size).</param>
/// <param name="LipschitzLowerBound">The largest Jacobian norm measured on test images: the model's true Lipschitz constant lies between this and L. Null for models trained before it was measured.</param>
/// <param name="Certificate">How radii are computed: |f(x)|/L for two classes; (top1 − top2)/(√2·L) for a jointly Lipschitz multiclass head.</param>
/// <param name="CertifiedAccuracy">Fraction of test images classified correctly with a certified L2 radius above each ε (pixels in [0, 1]).</param>
/// <param name="WeightsUrl">Where the exported weights (TorchSharp module format) can be downloaded; add `?format=safetensors` or `?format=pt` for PyTorch.</param>
public sealed record ModelResponse(
    string Id,
    string JobId,
    TrainingSpecResponse Spec,
    DateTimeOffset CreatedAt,
    IReadOnlyList<int> Classes,
    string Architecture,
    double LipschitzBound,
    double? LipschitzLowerBound,
    string Certificate,
    long TrainableParameters,
    EpochMetricsResponse Metrics,
    IReadOnlyList<CertifiedAccuracyResponse> CertifiedAccuracy,
    string WeightsUrl)
{
    /// <summary>Per linear layer, the share of its proven bound it passes back on test images (<see cref="LayerGainResponse"/>); empty for models trained before it was measured.</summary>
    public IReadOnlyList<LayerGainResponse> LayerGains { get; init; } = [];

    /// <summary>The aliases that point at this model, by name (e.g. `default`, the model /predict answers with when none is named).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <inheritdoc cref="JobResponse.Input"/>
    public IReadOnlyList<int> Input { get; init; } = [];

    /// <summary>The name of each of <see cref="Classes"/>, in their order: a digit, an item, a folder's name or a label value.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    public static ModelResponse From(ModelRecord model) => new(
        model.Id, model.JobId, TrainingSpecResponse.From(model.Spec), model.CreatedAt,
        model.Spec.Classes, SpecChoices.Architecture.NameOf(model.Spec.Architecture), model.LipschitzBound, model.LipschitzLowerBound,
        CertificateOf(model), model.TrainableParameters,
        EpochMetricsResponse.From(model.Metrics), CertifiedAccuracyResponse.From(model.CertifiedAccuracy), $"/models/{model.Id}/weights")
    {
        LayerGains = LayerGainResponse.From(model.LayerGains ?? []),
        Input = TrainedShape.Input(model.Spec),
        ClassNames = TrainedShape.ClassNames(model.Spec),
    };

    private static string CertificateOf(ModelRecord model) => model.Spec.IsBinary
        ? "|f(x)|/L"
        : model.Spec.ToNetworkSpec().Coupling == Models.Certificates.OutputCoupling.Joint ? "(top1 - top2)/(sqrt(2)*L)" : "(top1 - top2)/(2*L)";
}
