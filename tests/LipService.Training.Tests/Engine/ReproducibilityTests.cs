using System.Security.Cryptography;
using LipService.Training.Data;
using LipService.Training.Engine;
using LipService.Training.Specs;
using Xunit.Abstractions;

namespace LipService.Training.Tests.Engine;

/// <summary>
/// The guarantee README states: a seeded run gives the same weights every time on one machine
/// (same libtorch build and intra-op threads), whatever else the process does meanwhile.
/// </summary>
/// <remarks>
/// The runs go on while another thread collects garbage and runs finalizers non-stop: a temporary
/// TorchSharp Scalar finalized mid-operation made seeded convolutional jobs differ or fail with
/// non-finite weights (issue 18), and only a collection at the wrong moment shows it.
/// </remarks>
public sealed class ReproducibilityTests(ITestOutputHelper output)
{
    private static readonly Lazy<(ClassTaskData Train, ClassTaskData Test)> ThreeDigits = new(() =>
    {
        var mnist = new MnistLoader(new MnistOptions { Directory = WorkspaceData.MnistDirectory, Download = false }).Load();
        var (train, test) = ClassTask.Prepare(mnist, [1, 7, 3]);
        return (train.Head(4000), test.Head(500));
    });

    private static readonly Dictionary<string, TrainingSpec> Specs = new()
    {
        ["conv"] = new TrainingSpec { Classes = [1, 7, 3], Architecture = ArchitectureKind.Conv, Channels = [8], Hidden = [], Epochs = 2, BatchSize = 64, Seed = 4, Device = DeviceKind.Cpu },
        ["dense"] = new TrainingSpec { Classes = [1, 7, 3], Hidden = [32, 16], Epochs = 2, BatchSize = 64, Seed = 4, Device = DeviceKind.Cpu },
    };

    [Theory]
    [InlineData("conv")]
    [InlineData("dense")]
    public void ASeededRunGivesTheSameWeightsEveryTimeWhileFinalizersRun(string name)
    {
        var spec = Specs[name];
        TorchRuntime.ConfigureThreads(1);
        var (train, test) = ThreeDigits.Value;
        using var pressure = new CollectionPressure();
        var first = Train(spec, train, test);
        var second = Train(spec, train, test);
        output.WriteLine($"{name}: {first.Hash} ({first.Accuracy:F4}), {second.Hash} ({second.Accuracy:F4}); {pressure.Collections} collections meanwhile");
        Assert.True(double.IsFinite(first.Accuracy), $"{name}: the first run's validation accuracy is {first.Accuracy}");
        Assert.Equal(first.Hash, second.Hash);
        Assert.True(pressure.Collections > 10, $"only {pressure.Collections} collections ran during the two runs");
    }

    private static (string Hash, double Accuracy) Train(TrainingSpec spec, ClassTaskData train, ClassTaskData test)
    {
        using var result = new LipschitzTrainer().Train(spec, train, test);
        var state = new MemoryStream();
        result.Network.save(state);
        return (Convert.ToHexString(SHA256.HashData(state.ToArray())), result.FinalMetrics.ValAccuracy);
    }

    /// <summary>Collects and runs finalizers on a thread of its own until disposed.</summary>
    private sealed class CollectionPressure : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Thread thread;
        private int collections;

        public CollectionPressure()
        {
            thread = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Interlocked.Increment(ref collections);
                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "collection pressure" };
            thread.Start();
        }

        public int Collections => Volatile.Read(ref collections);

        public void Dispose()
        {
            stop.Cancel();
            thread.Join();
            stop.Dispose();
        }
    }
}
