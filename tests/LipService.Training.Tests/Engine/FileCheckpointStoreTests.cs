using LipService.Training.Checkpoints;
using LipService.Training.Engine;

namespace LipService.Training.Tests.Engine;

public sealed class FileCheckpointStoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("lipservice-store-").FullName;

    [Fact]
    public void RoundTripsAndReplacesAtomically()
    {
        var store = new FileCheckpointStore(directory);
        var metrics = new EpochMetrics(1, -1.5, 3.5, 0.2, 0.9, -5, 5.5, 0.05, 0.97, 0.4);
        store.Save("run-1", new TrainingCheckpoint(1, [1, 2, 3], [4, 5], [metrics]));
        store.Save("run-1", new TrainingCheckpoint(2, [6], [7, 8, 9], [metrics, metrics with { Epoch = 2 }]));

        var loaded = store.Load("run-1")!;
        Assert.Equal(2, loaded.Epoch);
        Assert.Equal([6], loaded.ModelState);
        Assert.Equal([7, 8, 9], loaded.OptimizerState);
        Assert.Equal([metrics, metrics with { Epoch = 2 }], loaded.History);
        Assert.Equal(["run-1.ckpt"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void RejectsIdsThatAreNotPlainNames(string id)
        => Assert.ThrowsAny<ArgumentException>(() => new FileCheckpointStore(directory).Load(id));

    [Fact]
    public void RejectsForeignFiles()
    {
        File.WriteAllText(Path.Combine(directory, "x.ckpt"), "not a checkpoint");
        Assert.Throws<InvalidDataException>(() => new FileCheckpointStore(directory).Load("x"));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
