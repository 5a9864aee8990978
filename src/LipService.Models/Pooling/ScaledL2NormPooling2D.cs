using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Pooling;

/// <summary>
/// deel-lip's ScaledL2NormPooling2D: each channel's non-overlapping pool×pool windows replaced by
/// their L2 norm. 1-Lipschitz (the windows are disjoint and a norm is 1-Lipschitz) and norm
/// preserving (‖f(x)‖ = ‖x‖).
/// </summary>
/// <remarks>
/// Computed as √(Σ x² + ε²) with ε = 1e-6: the gradient x/√(‖x‖² + ε²) has norm below 1 and is
/// defined at x = 0, where √ alone gives NaN (deel-lip issue #9); the value moves by at most ε.
/// </remarks>
public sealed class ScaledL2NormPooling2D : nn.Module<Tensor, Tensor>
{
    public const double Epsilon = 1e-6;

    public ScaledL2NormPooling2D(long poolSize = 2) : base(nameof(ScaledL2NormPooling2D))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        PoolSize = poolSize;
    }

    public long PoolSize { get; }

    public override Tensor forward(Tensor input)
    {
        using var area = ((double)(PoolSize * PoolSize)).ToScalar();
        using var epsilon = (Epsilon * Epsilon).ToScalar();
        // Window sums of squares: the average over the window times its area ("valid": sizes must divide).
        var sums = nn.functional.avg_pool2d(input.pow(HeldScalars.Two), PoolSize, PoolSize).mul_(area);
        return sums.add_(epsilon, HeldScalars.One).sqrt_();
    }
}
