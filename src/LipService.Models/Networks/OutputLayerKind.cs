using System.Text.Json.Serialization;

namespace LipService.Models.Networks;

/// <summary>The last layer of a network.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputLayerKind>))]
public enum OutputLayerKind
{
    /// <summary>FrobeniusDense: exact and cheapest for one output (the notebook's choice).</summary>
    Frobenius,

    /// <summary>SpectralDense with power iteration and Björck.</summary>
    Spectral,
}
