namespace LipService.Training.Data;

/// <summary>
/// Where MNIST lives and whether it may be fetched; bound from the "Mnist" configuration section.
/// </summary>
public sealed class MnistOptions
{
    public const string SectionName = "Mnist";

    /// <summary>
    /// Folder holding the four .gz files. Empty means the host has not decided yet; the loader
    /// refuses to guess, so the files never land somewhere unexpected such as the working directory.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>Fetch missing files from <see cref="EffectiveMirrors"/>.</summary>
    public bool Download { get; set; } = true;

    /// <summary>Check files already on disk against the published SHA-256; downloads are always checked.</summary>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>Where MNIST is fetched from when no mirror is configured.</summary>
    public static IReadOnlyList<string> DefaultMirrors { get; } =
    [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ];

    /// <summary>
    /// Base URLs tried in order (the file name is appended); empty means <see cref="DefaultMirrors"/>.
    /// Kept apart from the defaults because the configuration binder appends configured array
    /// items to an array's initial values: configured mirrors replace the defaults this way.
    /// </summary>
    public string[] Mirrors { get; set; } = [];

    /// <summary>The configured mirrors, or the defaults when none are.</summary>
    public IReadOnlyList<string> EffectiveMirrors => Mirrors is { Length: > 0 } ? Mirrors : DefaultMirrors;

    /// <summary>Limit for one file from one mirror, connection to last byte.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
