using LipService.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>A 2-D convolution as the linear map it is on (channels, side, side) inputs, written out as a dense float64 matrix.</summary>
internal static class ConvolutionOperator
{
    /// <summary>σ_max of a stride-1, zero-"same"-padded convolution's dense matrix, by SVD in float64.</summary>
    public static double Norm(Tensor kernel, long channels, long side)
    {
        using var scope = NewDisposeScope();
        return SingularValues(kernel, channels, side).max().item<double>();
    }

    /// <summary>
    /// Every singular value of the convolution (one column per input pixel): stride 1 with "same"
    /// padding (zeros or wrap-around), or a stride with no padding.
    /// </summary>
    public static Tensor SingularValues(Tensor kernel, long channels, long side, PaddingKind padding = PaddingKind.Zeros, long stride = 1)
    {
        using var _ = no_grad();
        long n = channels * side * side;
        var basis = eye(n, dtype: float64).reshape(n, channels, side, side);
        var k = kernel.detach().to(float64);
        long pad = kernel.shape[2] / 2;
        var columns = (stride, padding) switch
        {
            ( > 1, _) => nn.functional.conv2d(basis, k, strides: [stride, stride]),
            (_, PaddingKind.Circular) => nn.functional.conv2d(nn.functional.pad(basis, [pad, pad, pad, pad], PaddingModes.Circular), k),
            _ => nn.functional.conv2d(basis, k, padding: [pad, pad]),
        };
        return linalg.svdvals(columns.reshape(n, -1));
    }
}
