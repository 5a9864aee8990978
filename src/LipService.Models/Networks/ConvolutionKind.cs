namespace LipService.Models.Networks;

/// <summary>Which family of layers a convolutional <see cref="LipschitzNetworkSpec"/> builds.</summary>
public enum ConvolutionKind
{
    /// <summary>SpectralConv2D (zero "same" padding), each followed by the activation and a 2×2 L2-norm pooling.</summary>
    Spectral,

    /// <summary>
    /// OrthoConv2D (circular padding, exactly orthogonal), each followed by the activation, an
    /// OrthoDownsample2D (2×2, stride 2) to twice the channels, and the activation again.
    /// </summary>
    Orthogonal,
}
