using LipService.Training.Engine;
using LipService.Training.Specs;

namespace LipService.Training.Tests.Engine;

/// <summary>The notebook's configuration trained once on real MNIST (10 epochs, CPU), shared by the tests that inspect it.</summary>
public sealed class TrainedNotebookModel : IDisposable
{
    public TrainedNotebookModel()
    {
        TorchRuntime.ConfigureThreads(1);
        Result = new LipschitzTrainer().Train(new TrainingSpec { Device = DeviceKind.Cpu }, NotebookTask.Train, NotebookTask.Test);
    }

    public TrainingResult Result { get; }

    public void Dispose() => Result.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedNotebookCollection : ICollectionFixture<TrainedNotebookModel>
{
    public const string Name = "trained notebook model";
}
