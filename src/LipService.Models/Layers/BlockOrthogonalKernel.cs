using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// BCOP's k×k orthogonal convolution kernel (Li et al. 2019): an orthogonal c×c matrix H followed by
/// k−1 horizontal blocks [P, I−P] (1×2) and k−1 vertical blocks [Q; I−Q] (2×1), each built from an
/// orthogonal projector P = UUᵀ.
/// </summary>
/// <remarks>
/// Why the result is orthogonal: a block [P, I−P] has the symbol P + (I−P)·e^{iω}, unitary for every
/// ω because P is an orthogonal projector, and the symbol of a composition of convolutions is the
/// product of their symbols. So the composed kernel's symbol is unitary at every frequency, and the
/// circular convolution it defines on any torus (of side ≥ k) is an orthogonal operator.
/// </remarks>
internal static class BlockOrthogonalKernel
{
    /// <summary>The (c, c, k, k) kernel from H (c, c) and 2(k−1) column-orthonormal U (c, r): horizontal blocks first.</summary>
    public static Tensor Compose(Tensor head, IReadOnlyList<Tensor> projectorBases)
    {
        long c = head.shape[0];
        if (projectorBases.Count % 2 != 0) throw new ArgumentException("BCOP needs as many vertical as horizontal blocks.", nameof(projectorBases));
        int steps = projectorBases.Count / 2;
        var identity = eye(c, dtype: head.dtype, device: head.device);
        var kernel = head.reshape(c, c, 1, 1);
        for (int i = 0; i < projectorBases.Count; i++)
        {
            var u = projectorBases[i];
            var projector = u.mm(u.t());
            var complement = identity - projector;
            // (c, c, 2): the two taps of the block, then laid out along width or height.
            var taps = stack([projector, complement], dim: 2);
            var block = i < steps ? taps.reshape(c, c, 1, 2) : taps.reshape(c, c, 2, 1);
            kernel = Then(kernel, block);
        }
        return kernel;
    }

    /// <summary>
    /// The kernel of "apply <paramref name="first"/>, then <paramref name="second"/>" for
    /// cross-correlation kernels (out, in, h, w): C[s] = Σ_{a+b=s} second[a]·first[b], as one conv2d of
    /// the first kernel (its input channels as the batch) with the second kernel flipped.
    /// </summary>
    public static Tensor Then(Tensor first, Tensor second)
    {
        long kh = second.shape[2], kw = second.shape[3];
        var composed = nn.functional.conv2d(first.permute(1, 0, 2, 3), second.flip(2, 3), padding: [kh - 1, kw - 1]);
        return composed.permute(1, 0, 2, 3);
    }
}
