namespace LipService.Models.Networks;

/// <summary>What a <see cref="LayerPlan"/> builds.</summary>
public enum LayerKind
{
    /// <summary>A matrix on the flattened features: SpectralDense, FrobeniusDense, or nn.Linear once exported.</summary>
    Dense,

    /// <summary>A stride-1, zero "same"-padded 2-D convolution: SpectralConv2D, or nn.Conv2d once exported.</summary>
    Convolution,

    /// <summary>A stride-1 convolution with circular padding: OrthoConv2D, or nn.Conv2d (circular padding mode) once exported.</summary>
    OrthogonalConvolution,

    /// <summary>A 2×2, stride-2 convolution without padding: OrthoDownsample2D, or nn.Conv2d (stride 2) once exported.</summary>
    OrthogonalDownsampling,
}
