using System.Text.Json.Serialization;
using LipService.Models.Export;

namespace LipService.Api.Storage;

/// <summary>One layer's measured gain as the store keeps it in JSON; names fixed here.</summary>
internal sealed record StoredLayerGain(
    [property: JsonPropertyName("layer")] string Layer,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("bound")] double Bound)
{
    public static StoredLayerGain From(LayerGain gain) => new(gain.Layer, gain.Mean, gain.Min, gain.Bound);

    public LayerGain ToGain() => new(Layer, Mean, Min, Bound);
}
