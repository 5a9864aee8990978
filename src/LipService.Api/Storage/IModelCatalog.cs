using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>The trained models and their weights; a job's runner writes them (<see cref="IJobRunStore.CompleteAsync"/>), nothing here does.</summary>
public interface IModelCatalog
{
    Task<ModelRecord?> GetModelAsync(string id, CancellationToken cancellationToken = default);

    Task<ModelRecord?> GetNewestModelAsync(CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ModelRecord>> ListModelsAsync(int offset, int limit, CancellationToken cancellationToken = default);

    Task<int> CountModelsAsync(CancellationToken cancellationToken = default);

    Task<byte[]?> GetModelWeightsAsync(string id, CancellationToken cancellationToken = default);
}
