using System.Text.Json.Serialization;

namespace LipService.Models.Activations;

/// <summary>Activations a spec can name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationKind>))]
public enum ActivationKind
{
    /// <summary>Pairwise min/max; the notebook's choice. Needs even widths.</summary>
    GroupSort2,

    /// <summary>Sorts groups of <c>GroupSize</c> features; widths must be multiples of it.</summary>
    GroupSort,

    /// <summary>Sorts all features of a layer.</summary>
    FullSort,

    /// <summary>1-Lipschitz but not gradient-norm preserving: gradients vanish where units are off.</summary>
    ReLU,
}
