using System.Collections.Frozen;

namespace LipService.Training.Data;

/// <summary>
/// Loads Fashion-MNIST from <see cref="FashionMnistOptions.Directory"/>, or from Debian's package
/// folder when none is configured, into the same <see cref="MnistDataset"/> shape as MNIST. It never
/// downloads: Debian packages the data, so a missing file is an installation step for the user.
/// </summary>
public sealed class FashionMnistLoader
{
    private const string InstallCommand = "apt-get install dataset-fashion-mnist";
    private const string ReinstallCommand = "apt-get install --reinstall dataset-fashion-mnist";

    private readonly FashionMnistOptions _options;

    public FashionMnistLoader(FashionMnistOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        DataDirectory = Path.GetFullPath(
            string.IsNullOrWhiteSpace(options.Directory) ? FashionMnistOptions.DebianPackageDirectory : options.Directory);
    }

    /// <summary>The folder read: the configured one made absolute, or <see cref="FashionMnistOptions.DebianPackageDirectory"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>Blocking form of <see cref="LoadAsync"/>, for callers without an async context.</summary>
    public MnistDataset Load() => LoadAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <exception cref="MnistUnavailableException">Files are missing from <see cref="DataDirectory"/>.</exception>
    /// <exception cref="IdxFormatException">A file fails its checksum, is malformed, or has unexpected contents.</exception>
    public async Task<MnistDataset> LoadAsync(CancellationToken cancellationToken = default)
    {
        var files = IdxDatasetFiles.FashionMnist;
        var missing = files.MissingFrom(DataDirectory);
        if (missing.Count > 0)
        {
            throw Unavailable(missing);
        }

        var reader = new IdxDatasetReader(
            files,
            DataDirectory,
            _options.VerifyChecksums,
            $"replace it with a good copy ({ReinstallCommand} restores the package's copy in {FashionMnistOptions.DebianPackageDirectory}).");
        return await reader.ReadAsync(FrozenSet<string>.Empty, cancellationToken).ConfigureAwait(false);
    }

    private MnistUnavailableException Unavailable(IReadOnlyList<MnistFile> missing)
    {
        var names = missing.Select(f => f.FileName).ToArray();
        var where = string.IsNullOrWhiteSpace(_options.Directory)
            ? $"Debian's package folder, used because {FashionMnistOptions.SectionName}:Directory is empty"
            : $"set by {FashionMnistOptions.SectionName}:Directory";
        var message =
            $"Fashion-MNIST is not available: {string.Join(", ", names)} missing from {DataDirectory} ({where}). " +
            "Fashion-MNIST is never downloaded. " +
            $"To fix: install Debian's package ({InstallCommand}), which puts the files in {FashionMnistOptions.DebianPackageDirectory}, " +
            $"or set {FashionMnistOptions.SectionName}:Directory to a folder that holds the four files " +
            $"{string.Join(", ", IdxDatasetFiles.FashionMnist.All.Select(f => f.FileName))}.";
        return new MnistUnavailableException(DataDirectory, names, message);
    }
}
