using System.Runtime.InteropServices;
using LipService.Models.Export;
using LipService.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

/// <summary>Measures the whole process's native heap, so nothing else may run beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapCollection
{
    public const string Name = "native heap";
}

[Collection(NativeHeapCollection.Name)]
public class ModelChurnTests
{
    private const int Checkpoints = 12;
    private const int LoadsPerCheckpoint = 400;

    [Fact]
    public void LoadsAndDisposalsLeaveTheNativeHeapFlat()
    {
        var spec = new LipschitzNetworkSpec();
        byte[] a = Weights(spec, 1), b = Weights(spec, 2);
        using var digit = rand(1, 784, generator: new Generator(3));
        for (int i = 0; i < 100; i++) LoadScoreDispose(spec, i % 2 == 0 ? a : b, digit);

        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var heap = new long[Checkpoints];
        for (int k = 0; k < Checkpoints; k++)
        {
            for (int i = 0; i < LoadsPerCheckpoint; i++) LoadScoreDispose(spec, i % 2 == 0 ? a : b, digit);
            heap[k] = SettledHeap();
        }

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        // The heap moves in one-off steps of a few MB either way (libtorch's and LAPACK's
        // workspaces, other tests running in this process), so a difference of two readings says
        // little. A leak grows every interval; a step shows in one or two: the median of the
        // intervals' slopes is the trend. Rebuilding the modules on every load kept ≈2.2 KB each.
        var slopes = new List<double>();
        for (int k = 1; k < Checkpoints; k++) slopes.Add((heap[k] - heap[k - 1]) / (double)LoadsPerCheckpoint);
        slopes.Sort();
        double slope = slopes[slopes.Count / 2];
        Assert.True(slope < 1024, $"The native heap grows by {slope:F0} B per load (readings every {LoadsPerCheckpoint} loads, KiB: {string.Join(", ", heap.Select(h => h / 1024))}).");
    }

    /// <summary>The native heap once the finalisers of everything unreachable (this test's or another's) have freed their native side.</summary>
    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return NativeHeap.InUseBytes();
    }

    [Fact]
    public void ANetworkLoadedAfterAnotherWasDisposedHoldsOnlyItsOwnWeights()
    {
        var spec = new LipschitzNetworkSpec();
        var other = spec with { Hidden = [16, 8] };
        using var digits = rand(4, 784, generator: new Generator(4));
        var a = Reference(spec, 11, digits);
        var b = Reference(spec, 12, digits);
        var c = Reference(other, 13, digits);

        ExportedNetwork.Deserialize(spec, a.Weights).Dispose();
        ExportedNetwork.Deserialize(other, c.Weights).Dispose();
        AssertLoadsAs(spec, b, digits);
        AssertLoadsAs(other, c, digits);
        AssertLoadsAs(spec, a, digits);
        AssertLoadsAs(spec, b, digits);
    }

    [Fact]
    public void AFailedLoadDoesNotLeaveHalfLoadedWeightsForTheNext()
    {
        var spec = new LipschitzNetworkSpec();
        using var digits = rand(2, 784, generator: new Generator(5));
        var a = Reference(spec, 21, digits);
        var b = Reference(spec, 22, digits);

        ExportedNetwork.Deserialize(spec, b.Weights).Dispose();
        ExportedNetwork.Deserialize(spec, b.Weights).Dispose();
        // Cut inside the last kernel: the first layers are overwritten before the load fails.
        Assert.ThrowsAny<Exception>(() => ExportedNetwork.Deserialize(spec, a.Weights[..^40]));
        Assert.ThrowsAny<Exception>(() => ExportedNetwork.Deserialize(spec, a.Weights[..^40]));
        AssertLoadsAs(spec, b, digits);
    }

    [Fact]
    public void DisposingTwiceHandsTheNetworkBackOnce()
    {
        var spec = new LipschitzNetworkSpec { Hidden = [24, 12] };
        using var digits = rand(2, 784, generator: new Generator(6));
        var a = Reference(spec, 31, digits);
        var b = Reference(spec, 32, digits);

        var first = ExportedNetwork.Deserialize(spec, a.Weights);
        first.Dispose();
        first.Dispose();
        using var x = ExportedNetwork.Deserialize(spec, a.Weights);
        using var y = ExportedNetwork.Deserialize(spec, b.Weights);
        Assert.NotSame(x, y);
        Assert.Equal(a.Weights, x.Serialize());
        Assert.Equal(b.Weights, y.Serialize());
    }

    private static void AssertLoadsAs(LipschitzNetworkSpec spec, (byte[] Weights, float[] Scores, double Bound) expected, Tensor digits)
    {
        using var loaded = ExportedNetwork.Deserialize(spec, expected.Weights);
        Assert.Same(spec, loaded.Spec);
        // Byte for byte the state it was given: no parameter of a previous holder survives.
        Assert.Equal(expected.Weights, loaded.Serialize());
        Assert.Equal(expected.Bound, loaded.LipschitzBound);
        var scores = Scores(loaded, digits);
        for (int i = 0; i < scores.Length; i++) Assert.InRange(scores[i], expected.Scores[i] - 1e-5f, expected.Scores[i] + 1e-5f);
    }

    private static void LoadScoreDispose(LipschitzNetworkSpec spec, byte[] weights, Tensor digit)
    {
        using var network = ExportedNetwork.Deserialize(spec, weights);
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        network.forward(digit).item<float>();
    }

    private static byte[] Weights(LipschitzNetworkSpec spec, int seed)
    {
        using var network = new LipschitzNetwork(spec, new Generator((ulong)seed));
        network.Refresh();
        using var exported = ExportedNetwork.From(network);
        return exported.Serialize();
    }

    private static (byte[] Weights, float[] Scores, double Bound) Reference(LipschitzNetworkSpec spec, int seed, Tensor digits)
    {
        using var network = new LipschitzNetwork(spec, new Generator((ulong)seed));
        network.Refresh();
        using var exported = ExportedNetwork.From(network);
        network.eval();
        // The training network's own forward: no exported module, shelved or not, takes part.
        float[] scores;
        using (var scope = NewDisposeScope())
        using (no_grad()) scores = network.forward(digits).reshape(-1).data<float>().ToArray();
        return (exported.Serialize(), scores, exported.LipschitzBound);
    }

    private static float[] Scores(ExportedNetwork network, Tensor digits)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        return network.forward(digits).reshape(-1).data<float>().ToArray();
    }
}

/// <summary>glibc's count of bytes handed out by malloc and not yet freed: where libtorch and TorchSharp's native side allocate.</summary>
internal static class NativeHeap
{
    public static long InUseBytes()
    {
        var info = mallinfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code allowed for the returned struct.
    [DllImport("libc")]
    private static extern MallInfo2 mallinfo2();
}
