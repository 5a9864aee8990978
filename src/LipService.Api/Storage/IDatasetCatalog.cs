using LipService.Api.Datasets;

namespace LipService.Api.Storage;

/// <summary>Uploaded datasets: their descriptions and their samples in compressed chunks.</summary>
public interface IDatasetCatalog
{
    /// <summary>Claims <paramref name="id"/> for an upload (status <c>uploading</c>); false when a dataset, finished or not, already has it.</summary>
    Task<bool> BeginDatasetAsync(string id, string name, string format, long uploadBytes, CancellationToken cancellationToken = default);

    /// <summary>Appends one chunk of <paramref name="samples"/> samples of split 0 (training) or 1 (validation).</summary>
    /// <param name="data">The compressed chunk: a segment at the start of a buffer the writer reuses, so that a large upload allocates no array per chunk.</param>
    Task AddDatasetChunkAsync(string id, int split, int seq, int samples, ArraySegment<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Writes the description and marks the dataset ready, when it is visible to everyone.</summary>
    Task CompleteDatasetAsync(DatasetRecord dataset, CancellationToken cancellationToken = default);

    /// <summary>Removes an unfinished upload's rows (never a ready dataset's).</summary>
    Task DiscardDatasetUploadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Removes unfinished uploads not written to since <paramref name="before"/>: what a process that died mid-upload left.</summary>
    Task<int> DiscardStaleDatasetUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>A ready dataset, or null.</summary>
    Task<DatasetRecord?> GetDatasetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every ready dataset, newest first.</summary>
    Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(CancellationToken cancellationToken = default);

    /// <summary>The compressed chunks of one split, in order.</summary>
    Task<IReadOnlyList<(int Samples, byte[] Data)>> ReadDatasetChunksAsync(string id, int split, CancellationToken cancellationToken = default);

    /// <summary>Deletes a ready dataset unless a queued or running job trains on it.</summary>
    Task<DatasetDeletion> DeleteDatasetAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IDatasetCatalog.DeleteDatasetAsync"/> did.</summary>
public enum DatasetDeletion
{
    Deleted,
    NotFound,
    InUse,
}
