namespace LipService.Api.Inference;

/// <summary>What an inference answers: the model, and per image its scores, label, certified radius and class name.</summary>
/// <param name="ModelName">The name the request used (an alias or an id).</param>
/// <param name="ModelVersion">The model's id: the version that answered.</param>
/// <param name="Scores"><see cref="ScoresPerImage"/> values per image, image after image.</param>
/// <param name="ClassNames">Each image's class name; empty when <see cref="Outputs"/> does not ask for them.</param>
public sealed record InferenceResult(
    string ModelName,
    string ModelVersion,
    string? Id,
    IReadOnlyList<RequestedOutput> Outputs,
    int Count,
    int ScoresPerImage,
    float[] Scores,
    long[] Labels,
    double[] Radii,
    string[] ClassNames);
