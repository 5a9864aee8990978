using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Pooling;

/// <summary>
/// deel-lip's ScaledGlobalL2NormPooling2D: (B, C, H, W) → (B, C), each channel replaced by its L2
/// norm. 1-Lipschitz and norm preserving; the same ε = 1e-6 as <see cref="ScaledL2NormPooling2D"/>
/// keeps its gradient defined at zero.
/// </summary>
public sealed class ScaledGlobalL2NormPooling2D() : nn.Module<Tensor, Tensor>(nameof(ScaledGlobalL2NormPooling2D))
{
    public override Tensor forward(Tensor input)
    {
        using var epsilon = (ScaledL2NormPooling2D.Epsilon * ScaledL2NormPooling2D.Epsilon).ToScalar();
        return input.pow(HeldScalars.Two).sum([2L, 3L]).add_(epsilon, HeldScalars.One).sqrt_();
    }
}
