namespace LipService.Training.Data;

/// <summary>
/// Thrown when files of MNIST, or of Fashion-MNIST (same layout, never downloaded), are missing and
/// could not (or were not allowed to) be downloaded. One type for both, so callers that already
/// turn it into a "data missing" answer need nothing new. The message names the directory and the
/// missing files and says how to provide them.
/// </summary>
public sealed class MnistUnavailableException : Exception
{
    public MnistUnavailableException(
        string directory,
        IReadOnlyList<string> missingFiles,
        string message,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Directory = directory;
        MissingFiles = missingFiles;
    }

    /// <summary>Absolute directory that was searched.</summary>
    public string Directory { get; }

    /// <summary>File names still missing from <see cref="Directory"/>.</summary>
    public IReadOnlyList<string> MissingFiles { get; }
}
