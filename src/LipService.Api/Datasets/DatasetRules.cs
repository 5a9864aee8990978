using LipService.Training.Data;
using static System.FormattableString;

namespace LipService.Api.Datasets;

/// <summary>The checks and phrases every dataset reader shares, so the three formats word a limit alike.</summary>
internal static class DatasetRules
{
    public static bool SidesFit(DatasetOptions limits, long height, long width) =>
        height >= limits.MinSide && height <= limits.MaxSide && width >= limits.MinSide && width <= limits.MaxSide;

    /// <summary>"images must be 64×64 at most, 8×8 at least"</summary>
    public static string SidesRule(DatasetOptions limits) =>
        Invariant($"images must be {limits.MaxSide}×{limits.MaxSide} at most, {limits.MinSide}×{limits.MinSide} at least");

    /// <summary>"labels must be 0–99"</summary>
    public static string LabelsRule(DatasetOptions limits) => Invariant($"labels must be 0–{limits.MaxClasses - 1}");

    /// <summary>A byte count as people read it: "512 MiB", "3.2 GiB", "900 bytes".</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => Invariant($"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => Invariant($"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => Invariant($"{bytes / (double)(1L << 10):0.#} KiB"),
        _ => Invariant($"{bytes} bytes"),
    };

    /// <summary>
    /// The 413 for a dataset too large once decoded. <paramref name="images"/> × pixels is checked before a
    /// single pixel is read, from what the file declares.
    /// </summary>
    public static DatasetRejectedException TooManyDecodedBytes(string field, string fileName, long images, ImageShape shape, DatasetOptions limits) =>
        new(field, Invariant($"{fileName}: {images:N0} images of {shape} take {Size(images * shape.Pixels)} once decoded; a dataset may take at most {Size(limits.MaxExpandedBytes)}."), 413);

    /// <param name="holds">What the file has: "holds more than 1,000 images", "declares 5,000 images".</param>
    public static DatasetRejectedException TooManyImages(string field, string fileName, string holds, DatasetOptions limits) =>
        new(field, Invariant($"{fileName}: {holds}; a dataset may hold at most {limits.MaxImages:N0} images."), 413);

    public static DatasetRejectedException OneClassOnly(string field, string fileName, string which) =>
        new(field, $"{fileName}: one class only: {which}; a classifier needs at least two classes.");
}
