namespace LipService.Training.Data;

/// <summary>
/// Thrown when a data file (an IDX file or one of the MNIST archives) is unreadable, malformed,
/// or fails its checksum. The message names the file and says what is wrong with it.
/// </summary>
public sealed class IdxFormatException : Exception
{
    public IdxFormatException(string filePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The path (or, for streams, the name) of the offending file.</summary>
    public string FilePath { get; }
}
