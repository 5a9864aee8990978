using LipService.Api.Storage;
using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>Fetches the uploaded datasets a request names, so that its spec can be resolved against them.</summary>
internal static class UploadedDatasets
{
    /// <summary>The datasets among <paramref name="names"/> that are uploaded ids with a dataset, by id; names that are none are left out.</summary>
    public static async Task<IReadOnlyDictionary<string, DatasetRecord>> FetchAsync(IDatasetCatalog catalog, IEnumerable<string?> names, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DatasetRecord>(StringComparer.Ordinal);
        foreach (string? name in names)
        {
            if (!DatasetRef.TryParse(name, out var dataset) || dataset.UploadedId is not { } id || found.ContainsKey(id)) continue;
            if (await catalog.GetDatasetAsync(id, cancellationToken) is { } record) found[id] = record;
        }
        return found;
    }
}
