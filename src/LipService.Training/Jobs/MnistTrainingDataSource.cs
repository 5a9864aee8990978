using System.Collections.Concurrent;
using LipService.Training.Data;
using LipService.Training.Specs;
using Microsoft.Extensions.Options;

namespace LipService.Training.Jobs;

/// <summary>MNIST loaded once per process (downloaded if allowed), each class pair prepared once.</summary>
public sealed class MnistTrainingDataSource(IOptions<MnistOptions> options) : ITrainingDataSource
{
    private readonly SemaphoreSlim loadLock = new(1, 1);
    private readonly ConcurrentDictionary<(int, int), (BinaryTaskData, BinaryTaskData)> tasks = new();
    private MnistDataset? dataset;

    public (BinaryTaskData Train, BinaryTaskData Test) Get(TrainingSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var mnist = Load(cancellationToken);
        return tasks.GetOrAdd((spec.PositiveClass, spec.NegativeClass), key => BinaryTask.Prepare(mnist, key.Item1, key.Item2));
    }

    private MnistDataset Load(CancellationToken cancellationToken)
    {
        if (dataset is not null) return dataset;
        loadLock.Wait(cancellationToken);
        try
        {
            return dataset ??= new MnistLoader(options.Value).LoadAsync(cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            loadLock.Release();
        }
    }
}
