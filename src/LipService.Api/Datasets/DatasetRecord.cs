using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>An uploaded dataset as the store keeps it, without its samples.</summary>
/// <param name="Id"><c>ds-</c> and the first 24 hex digits of the SHA-256 of what was uploaded (see <see cref="DatasetUpload.Id(string)"/>).</param>
/// <param name="Name">The name the uploader gave, or the uploaded file's.</param>
/// <param name="Format"><c>zip</c>, <c>idx</c> or <c>csv</c>.</param>
/// <param name="UploadBytes">The bytes received, all parts together.</param>
/// <param name="StoredBytes">The compressed chunks' size in the store.</param>
public sealed record DatasetRecord(
    string Id,
    string Name,
    string Format,
    DateTimeOffset CreatedAt,
    ImageShape Shape,
    IReadOnlyList<DatasetClass> Classes,
    int TrainCount,
    int ValidationCount,
    long UploadBytes,
    long StoredBytes,
    IReadOnlyList<DatasetThumbnail> Thumbnails)
{
    /// <summary>The class names by label (index = label), as a spec keeps them.</summary>
    public IReadOnlyList<string?> ClassNamesByLabel()
    {
        var names = new string?[Classes.Count == 0 ? 0 : Classes.Max(c => c.Label) + 1];
        foreach (var c in Classes) names[c.Label] = c.Name;
        return names;
    }
}

/// <summary>One class: its label, its name (a zip's folder; for IDX and CSV the label as text) and its sample counts.</summary>
public sealed record DatasetClass(int Label, string Name, int Train, int Validation);

/// <summary>A sample image of a class, PNG-encoded at its own size, for the page.</summary>
public sealed record DatasetThumbnail(int Label, byte[] Png);
