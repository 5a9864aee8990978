using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>Predictions in input order, with the bound that makes the radii hold.</summary>
/// <param name="LipschitzBound">L of the model that answered.</param>
public sealed record PredictResponse(string ModelId, double LipschitzBound, int PositiveClass, int NegativeClass, IReadOnlyList<Prediction> Predictions);

/// <summary>One digit's answer.</summary>
/// <param name="Score">f(x); its sign decides the class.</param>
/// <param name="Label">The predicted digit: the positive class when f(x) ≥ 0, else the negative class.</param>
/// <param name="CertifiedRadius">|f(x)| / L: no change of the 28×28 input (pixels in [0, 1]) of L2 norm below this can change the label.</param>
/// <param name="Input">The 784 pixels the model saw, when asked for with includeInput=true.</param>
public sealed record Prediction(
    float Score,
    int Label,
    double CertifiedRadius,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Input = null);
