using System.Text.Json.Serialization;
using LipService.Models.Normalization;

namespace LipService.Models.Networks;

/// <summary>Named <see cref="NormalizationOptions"/> a spec can choose.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NormalizationPreset>))]
public enum NormalizationPreset
{
    /// <summary><see cref="NormalizationOptions.Default"/>: deel-lip ≥ 1.4's rule, computed from the Gram matrix's eigenvalues.</summary>
    Default,

    /// <summary><see cref="NormalizationOptions.Deel2021"/>: the notebook's fixed 3 power / 15 Björck steps.</summary>
    Deel2021,
}

public static class NormalizationPresetExtensions
{
    public static NormalizationOptions ToOptions(this NormalizationPreset preset) => preset switch
    {
        NormalizationPreset.Default => NormalizationOptions.Default,
        NormalizationPreset.Deel2021 => NormalizationOptions.Deel2021,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown normalization preset."),
    };
}
