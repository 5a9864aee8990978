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

    /// <summary>Fetch missing files from <see cref="Mirrors"/>.</summary>
    public bool Download { get; set; } = true;

    /// <summary>Check files already on disk against the published SHA-256; downloads are always checked.</summary>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>
    /// Base URLs tried in order; the file name is appended. Note that the configuration binder
    /// appends configured array items to these defaults rather than replacing them.
    /// </summary>
    public string[] Mirrors { get; set; } =
    [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ];

    /// <summary>Limit for one file from one mirror, connection to last byte.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
