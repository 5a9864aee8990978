using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>Seeded kernel initialization (TorchSharp's <c>orthogonal_</c> takes no generator).</summary>
internal static class KernelInit
{
    /// <summary>A random (rows, cols) matrix with orthonormal rows or columns, drawn from <paramref name="generator"/>.</summary>
    public static Tensor Orthogonal(long rows, long cols, Generator? generator)
    {
        using var scope = NewDisposeScope();
        bool tall = rows >= cols;
        var gaussian = randn(tall ? rows : cols, tall ? cols : rows, generator: generator);
        var (q, r) = linalg.qr(gaussian);
        // Fixing the signs by diag(R) makes the draw uniform over orthogonal matrices.
        q = q * r.diagonal().sign().unsqueeze(0);
        return (tall ? q : q.t()).contiguous().MoveToOuterDisposeScope();
    }
}
