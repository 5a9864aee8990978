namespace LipService.Training.Data;

/// <summary>Which bytes a dataset's published SHA-256 values cover.</summary>
public enum IdxChecksumScope
{
    /// <summary>
    /// The .gz files as stored. MNIST's SHA256SUMS covers these, and its downloads are checked
    /// before they are written, so the bytes on disk are the ones to trust.
    /// </summary>
    GzipFile,

    /// <summary>
    /// The IDX data after gzip decompression. Repackaging rewrites gzip headers without changing the
    /// data (Debian's Fashion-MNIST .gz files differ from upstream's only in name and time fields), so
    /// a hash of the decompressed data accepts every faithful copy and still rejects any changed pixel.
    /// </summary>
    IdxData,
}
