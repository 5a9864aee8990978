using System.Text.Json;
using LipService.Api.Datasets;
using LipService.Models.Certificates;
using LipService.Models.Export;
using LipService.Training.Engine;
using LipService.Training.Specs;

namespace LipService.Api.Storage;

/// <summary>
/// The JSON columns of the store, read and written through the Stored* records only, so no domain
/// or wire type's shape leaks into what is on disk. Reading is strict: a missing field is an error
/// (a store migration fills it), not a silent default.
/// </summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string DatasetClasses(IEnumerable<DatasetClass> classes) => JsonSerializer.Serialize(classes.Select(StoredDatasetClass.From).ToList(), Options);

    public static IReadOnlyList<DatasetClass> DatasetClasses(string json) => [.. Read<List<StoredDatasetClass>>(json).Select(c => c.ToClass())];

    public static string Thumbnails(IEnumerable<DatasetThumbnail> thumbnails) => JsonSerializer.Serialize(thumbnails.Select(StoredThumbnail.From).ToList(), Options);

    public static IReadOnlyList<DatasetThumbnail> Thumbnails(string json) => [.. Read<List<StoredThumbnail>>(json).Select(t => t.ToThumbnail())];

    public static string Spec(TrainingSpec spec) => JsonSerializer.Serialize(StoredSpec.From(spec), Options);

    public static TrainingSpec Spec(string json) => Read<StoredSpec>(json).ToSpec();

    public static string Metrics(EpochMetrics metrics) => JsonSerializer.Serialize(StoredEpochMetrics.From(metrics), Options);

    public static EpochMetrics Metrics(string json) => Read<StoredEpochMetrics>(json).ToMetrics();

    public static string History(IEnumerable<EpochMetrics> history) => JsonSerializer.Serialize(history.Select(StoredEpochMetrics.From).ToList(), Options);

    public static IReadOnlyList<EpochMetrics> History(string json) => [.. Read<List<StoredEpochMetrics>>(json).Select(m => m.ToMetrics())];

    public static string CertifiedAccuracy(IEnumerable<CertifiedAccuracyPoint> points) => JsonSerializer.Serialize(points.Select(StoredCertifiedAccuracy.From).ToList(), Options);

    public static IReadOnlyList<CertifiedAccuracyPoint> CertifiedAccuracy(string json) => [.. Read<List<StoredCertifiedAccuracy>>(json).Select(p => p.ToPoint())];

    public static string LayerGains(IEnumerable<LayerGain> gains) => JsonSerializer.Serialize(gains.Select(StoredLayerGain.From).ToList(), Options);

    public static IReadOnlyList<LayerGain> LayerGains(string json) => [.. Read<List<StoredLayerGain>>(json).Select(g => g.ToGain())];

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"The store holds null where a {typeof(T).Name} was expected.");
}
