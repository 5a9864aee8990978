using LipService.Api.Contracts;
using LipService.TestSupport;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Serving;

/// <summary>
/// Large batches go to libtorch from many requests at once, with no lock around the network's
/// forward: every thread must get the answers one thread alone gets.
/// </summary>
public class LoadedModelConcurrencyTests
{
    private const int Threads = 8;
    private const int RoundsPerThread = 12;
    private const int BatchSize = 100; // above Serving:ManagedBatchLimit (64): the libtorch path

    public static TheoryData<ArchitectureKind> Architectures => new() { ArchitectureKind.Dense, ArchitectureKind.Conv };

    [Theory]
    [MemberData(nameof(Architectures))]
    public async Task ConcurrentLargeBatchesScoreAsOneThreadDoes(ArchitectureKind architecture)
    {
        var spec = new TrainingSpec
        {
            Classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            Architecture = architecture,
            Channels = architecture == ArchitectureKind.Conv ? [4] : [],
            Hidden = [32],
        };
        using var model = UntrainedModels.Load(spec, "concurrency");
        var batches = new float[Threads][];
        var expected = new float[Threads][];
        var random = new Random(11);
        for (int t = 0; t < Threads; t++)
        {
            batches[t] = new float[BatchSize * PixelBatch.PixelsPerImage];
            for (int i = 0; i < batches[t].Length; i++) batches[t][i] = random.NextSingle();
            expected[t] = model.Score(batches[t], BatchSize);
        }

        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var answers = new List<float[]>();
            // Each thread scores its own batch; neighbours score theirs at the same moment.
            for (int round = 0; round < RoundsPerThread; round++) answers.Add(model.Score(batches[t], BatchSize));
            return answers;
        }, TaskCreationOptions.LongRunning)).ToArray();
        var results = await Task.WhenAll(workers);

        for (int t = 0; t < Threads; t++)
        {
            foreach (var answer in results[t])
            {
                Assert.Equal(expected[t].Length, answer.Length);
                // Same inputs, same shapes, same kernels: only a different split of the sums over
                // libtorch's threads could change a score, by a few float32 roundings of values of order 1.
                for (int k = 0; k < answer.Length; k++) Tolerance.Absolute(expected[t][k], answer[k], 64 * Tolerance.Float32Epsilon);
            }
        }
    }
}
