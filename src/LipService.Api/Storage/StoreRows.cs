namespace LipService.Api.Storage;

// Column-shaped rows for Dapper (snake_case columns map to these names); mapped to records in SqlJobStore.
internal sealed record JobRow(
    string Id, string Status, string Spec, string Queue, long CreatedAt, long? StartedAt, long? FinishedAt,
    long EpochsCompleted, string? ModelId, string? Error, long CancelRequested, string? SweepId, string? LeaseOwner);

internal sealed record EpochRow(
    long Epoch, double Loss, double Kr, double Hinge, double Accuracy,
    double ValLoss, double ValKr, double ValHinge, double ValAccuracy, double Seconds);

internal sealed record ModelRow(
    string Id, string JobId, string Spec, long CreatedAt, double LipschitzBound, long TrainableParameters,
    string Metrics, string CertifiedAccuracy, double? LipschitzLowerBound, string? LayerGains);

internal sealed record CheckpointRow(long Epoch, byte[] ModelState, byte[] OptimizerState, string History);

internal sealed record SweepRow(string Id, long CreatedAt, string Request);

internal sealed record AliasRow(string Name, string ModelId, long UpdatedAt);

internal sealed record DatasetRow(
    string Id, string Name, string Format, long CreatedAt, long UploadBytes, long Channels, long Height, long Width,
    long TrainCount, long ValidationCount, long StoredBytes, string Classes, string Thumbnails);

internal sealed record DatasetChunkRow(long Samples, byte[] Data);
