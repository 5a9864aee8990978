namespace LipService.Models.Networks;

/// <summary>What a <see cref="LayerPlan"/> builds.</summary>
public enum LayerKind
{
    /// <summary>A matrix on the flattened features: SpectralDense, FrobeniusDense, or nn.Linear once exported.</summary>
    Dense,

    /// <summary>A stride-1, zero "same"-padded 2-D convolution: SpectralConv2D, or nn.Conv2d once exported.</summary>
    Convolution,
}
