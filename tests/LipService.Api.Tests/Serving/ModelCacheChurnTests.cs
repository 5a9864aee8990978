using LipService.Bench;

namespace LipService.Api.Tests.Serving;

/// <summary>Runs alone: the native heap it reads belongs to the whole test process.</summary>
[Collection(nameof(ModelCacheChurnTests))]
public class ModelCacheChurnTests
{
    private const int Checkpoints = 12;
    private const int LoadsPerCheckpoint = 200;

    [Fact]
    public async Task LoadsAndEvictionsThroughTheCacheLeaveMemoryFlat()
    {
        // A cache of one and two models: every request loads one model and evicts the other.
        var result = await CacheBenchCommand.MeasureAsync(
            Checkpoints * LoadsPerCheckpoint, models: 2, cacheSize: 1, warmUpLoads: 300, Checkpoints, CancellationToken.None);

        var readings = result.Readings;
        string series = string.Join(", ", readings.Select(r => $"{r.Loads}: RSS {r.ResidentBytes / 1024} KiB, heap {r.NativeHeapBytes / 1024} KiB"));
        // The native heap moves in one-off steps of a few MB either way (libtorch's and LAPACK's
        // workspaces, the other tests running in this process), so two readings say little. A leak
        // grows every interval, a step shows in one or two: the median of the intervals' slopes is
        // the trend. Evicted models kept ≈2.4 KB of native heap each before they were reused.
        var slopes = new List<double>();
        for (int k = 1; k < readings.Count; k++)
            slopes.Add((readings[k].NativeHeapBytes!.Value - readings[k - 1].NativeHeapBytes!.Value) / (double)(readings[k].Loads - readings[k - 1].Loads));
        slopes.Sort();
        double slope = slopes[slopes.Count / 2];
        Assert.True(slope < 1024, $"The native heap grows by {slope:F0} B per load and eviction ({series}).");
        // RSS is not asserted here: in a test process other tests move it by more than the 10 %
        // this would check; `bench-cache` measures it alone (docs/benchmarks.md).
    }
}

[CollectionDefinition(nameof(ModelCacheChurnTests), DisableParallelization = true)]
public sealed class ModelCacheChurnCollection;
