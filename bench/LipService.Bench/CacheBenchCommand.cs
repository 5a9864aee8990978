using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Runtime.InteropServices;
using LipService.Api.Cli;
using LipService.Api.Contracts;
using LipService.Api.Serving;
using LipService.Api.Storage;
using LipService.Models.Export;
using LipService.Models.Networks;
using LipService.Training.Engine;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace LipService.Bench;

/// <summary>
/// <c>bench-cache</c>: drives the serving <see cref="ModelCache"/> through model loads and evictions
/// (untrained networks of the notebook's shape, no MNIST needed) and prints resident memory and the
/// native heap over the run as Markdown for docs/benchmarks.md.
/// </summary>
internal static class CacheBenchCommand
{
    public static Option<int> Loads { get; } = new("--loads") { Description = "Model loads to measure, each evicting another model.", DefaultValueFactory = _ => 10_000, Validators = { TrainingOptions.AtLeastOne } };

    public static Option<int> Models { get; } = new("--models") { Description = "Models requested round-robin; more than --cache-size, so that every request loads one.", DefaultValueFactory = _ => 2, Validators = { TrainingOptions.AtLeastOne } };

    public static Option<int> CacheSize { get; } = new("--cache-size") { Description = "Serving:ModelCacheSize of the cache under test.", DefaultValueFactory = _ => 1, Validators = { TrainingOptions.AtLeastOne } };

    public static IEnumerable<Option> All => [Loads, Models, CacheSize];

    public static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        int loads = parsed.GetValue(Loads), models = parsed.GetValue(Models), cacheSize = parsed.GetValue(CacheSize);
        if (models <= cacheSize)
        {
            error.WriteLine($"error: --models ({models}) must exceed --cache-size ({cacheSize}), or nothing is ever evicted.");
            return ExitCodes.BadCommandLine;
        }
        var result = MeasureAsync(loads, models, cacheSize, warmUpLoads: 1_000, checkpoints: 10, CancellationToken.None).GetAwaiter().GetResult();
        string cpu = CpuModel() ?? "unknown CPU";
        output.WriteLine($"## Model cache churn ({loads:N0} loads/evictions, {models} models round-robin, Serving:ModelCacheSize {cacheSize}, {cpu}, {Environment.ProcessorCount} cores, {get_num_threads()} intra-op thread(s) as in the service, {RuntimeInformation.OSDescription})");
        output.WriteLine();
        output.WriteLine("Every request misses the cache: one load (weights deserialised, SVD bound, managed scorer) and one eviction, then a 1-digit (managed) and a 65-digit (libtorch) prediction. Readings after 1,000 warm-up loads and a full garbage collection.");
        output.WriteLine();
        output.WriteLine("| loads | RSS MiB | native heap in use MiB | managed heap MiB |");
        output.WriteLine("|---|---|---|---|");
        foreach (var r in result.Readings)
            output.WriteLine($"| {r.Loads:N0} | {Mib(r.ResidentBytes):F1} | {(r.NativeHeapBytes is { } heap ? Mib(heap).ToString("F1") : "n/a")} | {Mib(r.ManagedBytes):F1} |");
        var first = result.Readings[0];
        var last = result.Readings[^1];
        output.WriteLine();
        output.WriteLine($"RSS {Mib(first.ResidentBytes):F1} → {Mib(last.ResidentBytes):F1} MiB ({(last.ResidentBytes - first.ResidentBytes) * 100.0 / first.ResidentBytes:+0.0;-0.0} %), peak {Mib(result.PeakResidentBytes):F1} MiB; {(last.ResidentBytes - first.ResidentBytes) / (double)loads:F0} B of RSS and {(last.NativeHeapBytes - first.NativeHeapBytes) / (double?)loads:F0} B of native heap per load; {loads / result.Seconds:F0} loads/s ({result.Seconds:F1} s).");
        return ExitCodes.Success;
    }

    internal sealed record Reading(int Loads, long ResidentBytes, long? NativeHeapBytes, long ManagedBytes);

    internal sealed record Result(IReadOnlyList<Reading> Readings, long PeakResidentBytes, double Seconds);

    /// <summary>Requests <paramref name="models"/> models round-robin from a cache of <paramref name="cacheSize"/>; reads memory after the warm-up and at each checkpoint.</summary>
    internal static async Task<Result> MeasureAsync(int loads, int models, int cacheSize, int warmUpLoads, int checkpoints, CancellationToken cancellationToken)
    {
        var catalog = new InMemoryModels(models);
        using var cache = new ModelCache(catalog, catalog, Options.Create(new ServingOptions { ModelCacheSize = cacheSize }));
        var single = PixelBatch.From([catalog.Digit(0)]);
        var batch = PixelBatch.From([.. Enumerable.Range(0, 65).Select(catalog.Digit)]);

        int next = 0;
        async Task LoadAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                using var lease = await catalog.AcquireAsync(cache, next++ % models, cancellationToken);
                lease.Model.Score(single);
                lease.Model.Score(batch);
            }
        }

        await LoadAsync(warmUpLoads);
        var readings = new List<Reading> { Read(0) };
        long peak = readings[0].ResidentBytes;
        var clock = Stopwatch.StartNew();
        for (int k = 1; k <= checkpoints; k++)
        {
            int target = (int)((long)loads * k / checkpoints);
            await LoadAsync(target - (int)((long)loads * (k - 1) / checkpoints));
            peak = Math.Max(peak, Environment.WorkingSet);
            readings.Add(Read(target));
        }
        return new Result(readings, Math.Max(peak, readings.Max(r => r.ResidentBytes)), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Memory once everything unreachable has been collected and finalised, so that only what is held counts.</summary>
    private static Reading Read(int loads)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new Reading(loads, Environment.WorkingSet, NativeHeap.InUseBytes(), GC.GetTotalMemory(false));
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024);

    private static string? CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return null;
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
    }

    /// <summary>The catalog the cache reads: models of the default spec with different random weights, nothing else.</summary>
    private sealed class InMemoryModels : IModelCatalog, IAliasCatalog
    {
        private readonly Dictionary<string, (ModelRecord Record, byte[] Weights)> models = [];
        private readonly string[] ids;
        private readonly float[] pixels;

        public InMemoryModels(int count)
        {
            var spec = new TrainingSpec();
            var networkSpec = spec.ToNetworkSpec();
            ids = new string[count];
            for (int i = 0; i < count; i++)
            {
                using var network = new LipschitzNetwork(networkSpec, new Generator((ulong)i + 1));
                network.Refresh();
                using var exported = ExportedNetwork.From(network);
                ids[i] = $"churn-{i}";
                var record = new ModelRecord
                {
                    Id = ids[i],
                    JobId = $"churn-job-{i}",
                    Spec = spec,
                    CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                    LipschitzBound = exported.LipschitzBound,
                    TrainableParameters = 0,
                    Metrics = new EpochMetrics(1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                    CertifiedAccuracy = [],
                };
                models[ids[i]] = (record, exported.Serialize());
            }
            var random = new Random(7);
            pixels = new float[65 * PixelBatch.PixelsPerImage];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        }

        public float[] Digit(int index) => pixels.AsSpan(index * PixelBatch.PixelsPerImage, PixelBatch.PixelsPerImage).ToArray();

        public async Task<ModelLease> AcquireAsync(ModelCache cache, int model, CancellationToken cancellationToken) =>
            await cache.AcquireAsync(ids[model], cancellationToken) ?? throw new InvalidOperationException($"Model {ids[model]} did not load.");

        public Task<ModelRecord?> GetModelAsync(string id, CancellationToken cancellationToken = default) =>
            Task.FromResult(models.TryGetValue(id, out var model) ? model.Record : null);

        public Task<byte[]?> GetModelWeightsAsync(string id, CancellationToken cancellationToken = default) =>
            Task.FromResult(models.TryGetValue(id, out var model) ? model.Weights : null);

        public Task<ModelRecord?> GetNewestModelAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<ModelRecord?>(models[ids[^1]].Record);

        public Task<IReadOnlyList<ModelRecord>> ListModelsAsync(int offset, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ModelRecord>>([.. ids.Reverse().Skip(offset).Take(limit).Select(id => models[id].Record)]);

        public Task<int> CountModelsAsync(CancellationToken cancellationToken = default) => Task.FromResult(ids.Length);

        // The cache asks for the default alias and for names that look like aliases (churn-N do): there are none.
        public Task<ModelAlias?> GetAliasAsync(string alias, CancellationToken cancellationToken = default) => Task.FromResult<ModelAlias?>(null);

        public Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string? modelId = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ModelAlias>>([]);

        // The cache reads models and aliases only: writing an alias has no part in a load.
        public Task<ModelAlias?> SetAliasAsync(string alias, string modelId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAliasAsync(string alias, string? modelId = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    /// <summary>glibc's bytes handed out by malloc and not freed: where libtorch and TorchSharp's native side allocate. Null off glibc.</summary>
    private static class NativeHeap
    {
        public static long? InUseBytes()
        {
            if (!OperatingSystem.IsLinux()) return null;
            try
            {
                var info = mallinfo2();
                return (long)(info.Uordblks + info.Hblkhd);
            }
            catch (EntryPointNotFoundException)
            {
                return null; // musl (Alpine) and glibc before 2.33 have no mallinfo2
            }
            catch (DllNotFoundException)
            {
                return null;
            }
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
}
