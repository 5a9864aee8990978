namespace LipService.Training.Specs;

/// <summary>The network a spec trains; its wire and stored names are in <see cref="SpecChoices.Architecture"/>.</summary>
public enum ArchitectureKind
{
    /// <summary>SpectralDense layers only.</summary>
    Dense,

    /// <summary>SpectralConv2D layers (the spec's channels), each pooled, then the dense layers.</summary>
    Conv,
}
