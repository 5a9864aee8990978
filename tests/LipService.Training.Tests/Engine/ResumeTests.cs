using LipService.Training.Engine;
using LipService.Training.Specs;

namespace LipService.Training.Tests.Engine;

public sealed class ResumeTests
{
    // Three short epochs on 2,048 real digits keep the test quick while crossing two checkpoints.
    private static readonly TrainingSpec Spec = new() { Epochs = 3, Device = DeviceKind.Cpu, Seed = 5 };

    [Fact]
    public async Task InterruptedAndResumedRunEndsWithTheSameWeightsAsAStraightRun()
    {
        TorchRuntime.ConfigureThreads(1);
        var train = NotebookTask.Head(NotebookTask.Train, 2048);
        var test = NotebookTask.Head(NotebookTask.Test, 256);
        var trainer = new LipschitzTrainer();

        using var straight = await trainer.TrainAsync(Spec, train, test, "straight", new MemoryCheckpointStore());

        var store = new MemoryCheckpointStore();
        using var cancel = new CancellationTokenSource();
        var stopAfterEpoch2 = new CallbackProgress(m => { if (m.Epoch == 2) cancel.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.TrainAsync(Spec, train, test, "resumed", store, stopAfterEpoch2, cancel.Token));
        Assert.Equal(2, (await store.LoadAsync("resumed"))!.Epoch);

        var reported = new List<int>();
        using var resumed = await trainer.TrainAsync(Spec, train, test, "resumed", store, new CallbackProgress(m => reported.Add(m.Epoch)));

        Assert.Equal([3], reported);
        Assert.Equal(straight.History.Select(m => m.Loss), resumed.History.Select(m => m.Loss));
        var straightState = straight.Network.state_dict();
        var resumedState = resumed.Network.state_dict();
        Assert.Equal(straightState.Keys.Order(), resumedState.Keys.Order());
        foreach (var (name, value) in straightState)
            Assert.True(value.eq(resumedState[name]).all().item<bool>(), $"{name} differs");
    }

    [Fact]
    public async Task CancellationStopsWithinOneBatch()
    {
        var train = NotebookTask.Head(NotebookTask.Train, 1024);
        var test = NotebookTask.Head(NotebookTask.Test, 128);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var progress = new CallbackProgress(_ => Assert.Fail("no epoch may complete after cancellation"));
        var store = new MemoryCheckpointStore();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LipschitzTrainer().TrainAsync(Spec, train, test, "cancelled", store, progress, cancel.Token));
        Assert.Null(await store.LoadAsync("cancelled"));
    }

    [Fact]
    public void InvalidSpecIsRejectedBeforeAnyWork()
    {
        var train = NotebookTask.Head(NotebookTask.Train, 16);
        var error = Assert.Throws<ArgumentException>(() => new LipschitzTrainer().Train(Spec with { Epochs = 0 }, train, train));
        Assert.Contains("epochs", error.Message);
    }

}
