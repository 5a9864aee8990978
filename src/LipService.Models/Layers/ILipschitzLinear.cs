using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>A linear layer (dense or convolution) whose normalized kernel is cached for inference and export.</summary>
public interface ILipschitzLinear
{
    long InFeatures { get; }

    long OutFeatures { get; }

    /// <summary>The kernel (out, in) — (out, in, kh, kw) for a convolution — used in eval mode: the normalization of the raw kernel as of the last training forward or <see cref="Refresh"/>.</summary>
    Tensor NormalizedWeight { get; }

    Tensor? Bias { get; }

    /// <summary>Recomputes the cached kernel from the current raw kernel (no gradient); call after optimizer steps before evaluating or exporting.</summary>
    void Refresh();
}
