namespace LipService.Models.Layers;

/// <summary>How a stride-1 convolution keeps its input's size.</summary>
public enum PaddingKind
{
    /// <summary>Zero "same" padding: the crop of a circular convolution on a larger torus (bounded, not exactly orthogonal).</summary>
    Zeros,

    /// <summary>Wrap-around padding: the convolution is circular on the input's own torus, so an orthogonal kernel makes it exactly orthogonal.</summary>
    Circular,
}
