using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>A stride-1, zero-"same"-padded convolution as the linear map it is on (channels, side, side) inputs.</summary>
internal static class ConvolutionOperator
{
    /// <summary>σ_max of the convolution's dense matrix (one column per input pixel), by SVD in float64.</summary>
    public static double Norm(Tensor kernel, long channels, long side)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = channels * side * side;
        var basis = eye(n, dtype: float64).reshape(n, channels, side, side);
        long pad = kernel.shape[2] / 2;
        var columns = nn.functional.conv2d(basis, kernel.to(float64), padding: [pad, pad]).reshape(n, -1);
        return linalg.svdvals(columns).max().item<double>();
    }
}
