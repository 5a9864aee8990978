using System.Text.Json.Serialization;
using LipService.Api.Datasets;

namespace LipService.Api.Storage;

/// <summary>A dataset's class as the <c>datasets.classes</c> column keeps it.</summary>
internal sealed record StoredDatasetClass(
    [property: JsonPropertyName("label")] int Label,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("train")] int Train,
    [property: JsonPropertyName("validation")] int Validation)
{
    public static StoredDatasetClass From(DatasetClass c) => new(c.Label, c.Name, c.Train, c.Validation);

    public DatasetClass ToClass() => new(Label, Name, Train, Validation);
}

/// <summary>A thumbnail as the <c>datasets.thumbnails</c> column keeps it: the PNG in base64.</summary>
internal sealed record StoredThumbnail(
    [property: JsonPropertyName("label")] int Label,
    [property: JsonPropertyName("png")] string Png)
{
    public static StoredThumbnail From(DatasetThumbnail t) => new(t.Label, Convert.ToBase64String(t.Png));

    public DatasetThumbnail ToThumbnail() => new(Label, Convert.FromBase64String(Png));
}
