namespace LipService.Training.Specs;

/// <summary>The network a spec trains; its wire and stored names are in <see cref="SpecChoices.Architecture"/>.</summary>
public enum ArchitectureKind
{
    /// <summary>SpectralDense layers only.</summary>
    Dense,

    /// <summary>SpectralConv2D layers (the spec's channels), each pooled, then the dense layers.</summary>
    Conv,

    /// <summary>
    /// Orthogonal convolutions (OrthoConv2D, circular padding; the spec's channels), each followed by an
    /// orthogonal 2×2/s2 down-sampling to twice the channels, then the dense layers.
    /// </summary>
    OrthoConv,
}

/// <summary>What the architectures share.</summary>
public static class ArchitectureKinds
{
    /// <summary>Conv and OrthoConv: networks with convolutions (the spec's channels) before the dense layers.</summary>
    public static bool HasConvolutions(this ArchitectureKind kind) => kind is ArchitectureKind.Conv or ArchitectureKind.OrthoConv;
}
