using System.Text.Json.Serialization;
using LipService.Training.Engine;

namespace LipService.Api.Storage;

/// <summary>An epoch's metrics as the store keeps them in JSON (a model's final metrics, a checkpoint's history); names fixed here.</summary>
internal sealed record StoredEpochMetrics(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("kr")] double Kr,
    [property: JsonPropertyName("hinge")] double Hinge,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("valLoss")] double ValLoss,
    [property: JsonPropertyName("valKr")] double ValKr,
    [property: JsonPropertyName("valHinge")] double ValHinge,
    [property: JsonPropertyName("valAccuracy")] double ValAccuracy,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    public static StoredEpochMetrics From(EpochMetrics m) => new(m.Epoch, m.Loss, m.Kr, m.Hinge, m.Accuracy, m.ValLoss, m.ValKr, m.ValHinge, m.ValAccuracy, m.Seconds);

    public EpochMetrics ToMetrics() => new(Epoch, Loss, Kr, Hinge, Accuracy, ValLoss, ValKr, ValHinge, ValAccuracy, Seconds);
}
