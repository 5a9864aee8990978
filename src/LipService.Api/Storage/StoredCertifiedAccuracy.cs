using System.Text.Json.Serialization;
using LipService.Models.Certificates;

namespace LipService.Api.Storage;

/// <summary>A point of a model's certified-accuracy curve as the store keeps it in JSON; names fixed here.</summary>
internal sealed record StoredCertifiedAccuracy(
    [property: JsonPropertyName("epsilon")] double Epsilon,
    [property: JsonPropertyName("accuracy")] double Accuracy)
{
    public static StoredCertifiedAccuracy From(CertifiedAccuracyPoint point) => new(point.Epsilon, point.Accuracy);

    public CertifiedAccuracyPoint ToPoint() => new(Epsilon, Accuracy);
}
