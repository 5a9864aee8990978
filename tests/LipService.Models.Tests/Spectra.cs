using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>Exact singular values (float64 SVD) for assertions.</summary>
internal static class Spectra
{
    public static double[] SingularValues(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        return linalg.svdvals(matrix.detach().to(float64).cpu()).data<double>().ToArray();
    }
}
