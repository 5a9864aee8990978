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

    /// <summary>
    /// OrthoConv after an orthogonal 2×2/s2 down-sampling of the input to four times its channels (a
    /// learned pixel-unshuffle: 1 → 4 channels at 14×14 for MNIST), so that the first layer is square,
    /// orthogonal both ways, instead of a convolution from one channel to many.
    /// </summary>
    OrthoConvUnshuffle,
}

/// <summary>What the architectures share.</summary>
public static class ArchitectureKinds
{
    /// <summary>Every kind but Dense: networks with convolutions (the spec's channels) before the dense layers.</summary>
    public static bool HasConvolutions(this ArchitectureKind kind) => kind == ArchitectureKind.Conv || kind.IsOrthogonal();

    /// <summary>OrthoConv and OrthoConvUnshuffle: orthogonal convolutions and down-sampling.</summary>
    public static bool IsOrthogonal(this ArchitectureKind kind) => kind is ArchitectureKind.OrthoConv or ArchitectureKind.OrthoConvUnshuffle;
}
