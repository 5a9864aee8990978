using System.Text.Json.Serialization;
using LipService.Api.Serving;

namespace LipService.Api.Contracts;

/// <summary>Predictions in input order, with the bound that makes the radii hold.</summary>
/// <param name="LipschitzBound">L of the model that answered.</param>
/// <param name="PositiveClass">A binary model's +1 class; absent for a multiclass model.</param>
/// <param name="NegativeClass">A binary model's −1 class; absent for a multiclass model.</param>
public sealed record PredictResponse(
    string ModelId,
    double LipschitzBound,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PositiveClass,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? NegativeClass,
    IReadOnlyList<Prediction> Predictions)
{
    /// <summary>A multiclass model's labels, in the order of each prediction's scores; absent for a binary model.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? Classes { get; init; }

    /// <summary>
    /// The answer for <paramref name="scores"/>: a two-class model's one score per image and its two
    /// classes, or a multiclass model's scores per image and its classes in their order.
    /// </summary>
    /// <param name="batch">The pixels the model saw, returned per image when <paramref name="includeInput"/>.</param>
    public static PredictResponse From(CertifiedScores scores, PixelBatch batch, bool includeInput)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(batch);
        var model = scores.Model;
        var spec = model.Record.Spec;
        var predictions = new Prediction[scores.Count];
        if (spec.IsBinary)
        {
            for (int i = 0; i < predictions.Length; i++)
                predictions[i] = new Prediction(scores.Scores[i], scores.Labels[i], scores.Radii[i], includeInput ? batch.Image(i) : null) { ClassName = spec.ClassName(scores.Labels[i]) };
            return new PredictResponse(model.Record.Id, model.LipschitzBound, spec.PositiveClass, spec.NegativeClass, predictions);
        }
        int outputs = model.Outputs;
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = new Prediction(null, scores.Labels[i], scores.Radii[i], includeInput ? batch.Image(i) : null)
            {
                Scores = scores.Scores.AsSpan(i * outputs, outputs).ToArray(),
                ClassName = spec.ClassName(scores.Labels[i]),
            };
        }
        return new PredictResponse(model.Record.Id, model.LipschitzBound, null, null, predictions) { Classes = spec.Classes };
    }
}

/// <summary>One image's answer.</summary>
/// <param name="Score">Binary models: f(x), whose sign decides the class. Absent for a multiclass model.</param>
/// <param name="Label">The predicted label: for a binary model the positive class when f(x) ≥ 0, else the negative class; for a multiclass model the class of the highest score.</param>
/// <param name="CertifiedRadius">No change of the input (28×28 for MNIST, the dataset's channels × height × width for an uploaded one; pixels in [0, 1]) of L2 norm below this can change the label: |f(x)|/L for a binary model, (top1 − top2)/(√2·L) for a multiclass one.</param>
/// <param name="Input">The pixels the model saw (784 for MNIST), when asked for with includeInput=true.</param>
public sealed record Prediction(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Score,
    int Label,
    double CertifiedRadius,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Input = null)
{
    /// <summary>Multiclass models: one score per class, in the order of the model's classes. Absent for a binary model.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Scores { get; init; }

    /// <summary>The label's name as the dataset gives it: a digit, a Fashion-MNIST item's name, an uploaded zip's folder name, or an IDX/CSV label value.</summary>
    public string ClassName { get; init; } = "";
}
