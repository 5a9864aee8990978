using static TorchSharp.torch;

namespace LipService.Models.Pooling;

/// <summary>
/// deel-lip's InvertibleDownSampling (space to depth): (B, C, H, W) → (B, C·p², H/p, W/p) with the
/// input channel first, as torch's PixelUnshuffle and deel-lip master order them. A permutation of
/// the pixels, so an isometry: ‖f(x) − f(y)‖ = ‖x − y‖, and gradient norms are kept.
/// </summary>
public sealed class InvertibleDownSampling : nn.Module<Tensor, Tensor>
{
    public InvertibleDownSampling(long poolSize = 2) : base(nameof(InvertibleDownSampling))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        PoolSize = poolSize;
    }

    public long PoolSize { get; }

    public override Tensor forward(Tensor input)
    {
        if (input.shape[2] % PoolSize != 0 || input.shape[3] % PoolSize != 0)
            throw new ArgumentException($"InvertibleDownSampling({PoolSize}) needs sizes divisible by {PoolSize}; got {input.shape[2]}×{input.shape[3]}.", nameof(input));
        return nn.functional.pixel_unshuffle(input, PoolSize);
    }
}
