using System.Collections.Concurrent;
using LipService.Training.Data;
using LipService.Training.Specs;
using Microsoft.Extensions.Options;

namespace LipService.Training.Jobs;

/// <summary>
/// The data sets the service knows by name (MNIST, Fashion-MNIST): each loaded once per process (MNIST
/// downloaded if allowed), each class list prepared once.
/// </summary>
public sealed class BuiltInTrainingDataSource(IOptions<MnistOptions> options, IOptions<FashionMnistOptions> fashionOptions) : ITrainingDataSource
{
    private readonly SemaphoreSlim loadLock = new(1, 1);
    private readonly ConcurrentDictionary<string, (ClassTaskData, ClassTaskData)> tasks = new();
    private MnistDataset? mnist;
    private MnistDataset? fashion;

    public (ClassTaskData Train, ClassTaskData Test) Get(TrainingSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dataset = Load(spec, cancellationToken);
        return tasks.GetOrAdd($"{spec.Dataset.Name}:{string.Join(',', spec.Classes)}", _ => ClassTask.Prepare(dataset, spec.Classes));
    }

    private MnistDataset Load(TrainingSpec spec, CancellationToken cancellationToken)
    {
        if ((spec.IsFashionMnist ? fashion : mnist) is { } loaded) return loaded;
        loadLock.Wait(cancellationToken);
        try
        {
            return spec.IsFashionMnist
                ? fashion ??= new FashionMnistLoader(fashionOptions.Value).LoadAsync(cancellationToken).GetAwaiter().GetResult()
                : mnist ??= new MnistLoader(options.Value).LoadAsync(cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            loadLock.Release();
        }
    }
}
