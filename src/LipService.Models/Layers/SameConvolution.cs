using static TorchSharp.torch;

namespace LipService.Models.Layers;

/// <summary>
/// What the Lipschitz convolutions share: stride 1, zero "same" padding (odd kernels only, so it is
/// symmetric), the worst-case coverage coefficient 1/√(kh·kw) — every input pixel enters at most
/// kh·kw patches — and an initial kernel whose reshaped matrix (out, in·kh·kw) is orthogonal.
/// </summary>
internal static class SameConvolution
{
    public static void CheckKernelSize(long kernelSize, string layer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        if (kernelSize % 2 == 0) throw new ArgumentException($"{layer} needs an odd kernel size for \"same\" padding (got {kernelSize}).", nameof(kernelSize));
    }

    public static long[] Padding(long kernelSize) => [kernelSize / 2, kernelSize / 2];

    public static double CoverageCoefficient(long kernelSize) => 1.0 / kernelSize;

    public static Tensor InitialKernel(long inChannels, long outChannels, long kernelSize, Generator? generator)
        => KernelInit.Orthogonal(outChannels, inChannels * kernelSize * kernelSize, generator).reshape(outChannels, inChannels, kernelSize, kernelSize);
}
