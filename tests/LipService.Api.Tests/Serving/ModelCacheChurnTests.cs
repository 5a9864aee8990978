using LipService.Api.Cli;

namespace LipService.Api.Tests.Serving;

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
        // The native heap moves in steps of a few MB either way (libtorch's and LAPACK's workspaces,
        // other tests' finalisers), so two readings say little; the median slope over all pairs is
        // the trend. Evicted models kept ≈2.4 KB of native heap each before they were reused.
        var slopes = new List<double>();
        for (int i = 0; i < readings.Count; i++)
            for (int j = i + 1; j < readings.Count; j++)
                slopes.Add((readings[j].NativeHeapBytes!.Value - readings[i].NativeHeapBytes!.Value) / (double)(readings[j].Loads - readings[i].Loads));
        slopes.Sort();
        double slope = slopes[slopes.Count / 2];
        Assert.True(slope < 1024, $"The native heap grows by {slope:F0} B per load and eviction ({series}).");
        Assert.True(readings[^1].ResidentBytes <= readings[0].ResidentBytes * 1.10, $"RSS grew by more than 10 % ({series}).");
    }
}
