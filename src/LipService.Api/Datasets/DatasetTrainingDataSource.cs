using LipService.Api.Storage;
using LipService.Training.Data;
using LipService.Training.Jobs;
using LipService.Training.Specs;

namespace LipService.Api.Datasets;

/// <summary>
/// The training data of every spec: uploaded datasets from the store (read anew by each job, so a
/// worker holds no dataset between jobs), the built-in ones from <see cref="BuiltInTrainingDataSource"/>.
/// </summary>
internal sealed class DatasetTrainingDataSource(IDatasetCatalog catalog, BuiltInTrainingDataSource builtIn) : ITrainingDataSource
{
    public (ClassTaskData Train, ClassTaskData Test) Get(TrainingSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Dataset.UploadedId is not { } id) return builtIn.Get(spec, cancellationToken);
        var dataset = catalog.GetDatasetAsync(id, cancellationToken).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"The uploaded dataset {id} is no longer in the store; upload it again (POST /datasets) and submit the job anew.");
        if (dataset.Shape != spec.Input)
            throw new InvalidOperationException($"The dataset {id} holds {dataset.Shape} images but the job's network takes {spec.Input}.");
        return (Prepare(dataset, DatasetChunkWriter.TrainingSplit, spec, cancellationToken), Prepare(dataset, DatasetChunkWriter.ValidationSplit, spec, cancellationToken));
    }

    private ClassTaskData Prepare(DatasetRecord dataset, int split, TrainingSpec spec, CancellationToken cancellationToken)
    {
        var (pixels, labels) = DatasetSamples.ReadAsync(catalog, dataset.Id, split, dataset.Shape, cancellationToken).GetAwaiter().GetResult();
        return ClassTask.Prepare(pixels, dataset.Shape.Pixels, labels, spec.Classes);
    }
}
