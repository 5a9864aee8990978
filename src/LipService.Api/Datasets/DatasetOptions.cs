namespace LipService.Api.Datasets;

/// <summary>Limits on uploaded datasets, bound from the <c>Datasets</c> configuration section.</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Datasets";

    /// <summary>Largest upload, all its parts together, in bytes (413 beyond).</summary>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Largest dataset once decoded (images × channels × height × width bytes), and largest total a
    /// zip may inflate to: training holds the set in memory as 4-byte floats, four times this.
    /// </summary>
    public long MaxExpandedBytes { get; set; } = 512L << 20;

    /// <summary>A zip entry inflating to more than this many times its compressed size is refused as a zip bomb.</summary>
    /// <remarks>PNGs barely compress further (ratio ≈ 1); even a blank 64×64 PNG stays under 20. 200 leaves room and stops bombs, whose ratios run to thousands.</remarks>
    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>Largest encoded image file in a zip.</summary>
    public long MaxImageBytes { get; set; } = 1L << 20;

    public int MinSide { get; set; } = 8;

    public int MaxSide { get; set; } = 64;

    /// <summary>Most classes a dataset may have; IDX and CSV labels must be below it.</summary>
    public int MaxClasses { get; set; } = 100;

    /// <summary>Most images (training and validation together).</summary>
    public int MaxImages { get; set; } = 1_000_000;
}
