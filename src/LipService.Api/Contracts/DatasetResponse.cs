using LipService.Api.Datasets;

namespace LipService.Api.Contracts;

/// <summary>An uploaded dataset.</summary>
/// <param name="Id">Use it as a job's <c>dataset</c>. The same upload (same bytes and settings) always gets the same id.</param>
/// <param name="Name">The name given at upload, or the file's.</param>
/// <param name="Format">zip, idx or csv.</param>
/// <param name="Channels">1 (grayscale) or 3 (RGB).</param>
/// <param name="Height">Image height in pixels; every image has it. Images are kept at their size.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="TrainCount">Images trained on.</param>
/// <param name="ValidationCount">Images held out: the accuracy and certified accuracy of a model are measured on them.</param>
/// <param name="UploadBytes">Bytes received.</param>
/// <param name="StoredBytes">Bytes in the store (compressed).</param>
/// <param name="Classes">Each class with its label, name and counts, by label.</param>
/// <param name="Thumbnails">A few training images of each class.</param>
/// <param name="RadiusUnits">What a certified radius of a model trained on this dataset measures.</param>
public sealed record DatasetResponse(
    string Id,
    string Name,
    string Format,
    DateTimeOffset CreatedAt,
    int Channels,
    int Height,
    int Width,
    int TrainCount,
    int ValidationCount,
    long UploadBytes,
    long StoredBytes,
    IReadOnlyList<DatasetClassResponse> Classes,
    IReadOnlyList<DatasetThumbnailResponse> Thumbnails,
    string RadiusUnits)
{
    public static DatasetResponse From(DatasetRecord d) => new(
        d.Id, d.Name, d.Format, d.CreatedAt, d.Shape.Channels, d.Shape.Height, d.Shape.Width, d.TrainCount, d.ValidationCount,
        d.UploadBytes, d.StoredBytes,
        [.. d.Classes.Select(c => new DatasetClassResponse(c.Label, c.Name, c.Train, c.Validation))],
        [.. d.Thumbnails.Select(t => new DatasetThumbnailResponse(t.Label, "data:image/png;base64," + Convert.ToBase64String(t.Png)))],
        $"L2 distance over the {d.Shape.Pixels} values ({d.Shape.Channels}×{d.Shape.Height}×{d.Shape.Width}) of an image, each pixel scaled from 0-255 to [0, 1].");
}

/// <summary>One class of a dataset.</summary>
/// <param name="Label">The label a job's <c>classes</c> names and /predict answers: a zip's folder index (folders sorted by name), or the IDX/CSV label value.</param>
/// <param name="Name">A zip's folder name; for IDX and CSV the label value.</param>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Validation images.</param>
public sealed record DatasetClassResponse(int Label, string Name, int Train, int Validation);

/// <summary>A training image of a class at its own size.</summary>
/// <param name="Png">A data URL of the PNG.</param>
public sealed record DatasetThumbnailResponse(int Label, string Png);
