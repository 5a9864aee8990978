using System.IO.Compression;
using System.Security.Cryptography;

namespace LipService.Training.Data;

/// <summary>
/// Reads the four files of an <see cref="IdxDatasetFiles"/> from one folder into a
/// <see cref="MnistDataset"/>: checksums (when asked), image sizes, item counts, labels 0-9. Every
/// dataset in MNIST's layout goes through here, so each is checked, and reported, the same way.
/// </summary>
/// <param name="checksumRemedy">The sentence that ends a checksum failure: what to do about the file.</param>
internal sealed class IdxDatasetReader(IdxDatasetFiles files, string directory, bool verifyChecksums, string checksumRemedy)
{
    /// <param name="alreadyVerified">Names of files whose checksum the caller has just checked (fresh downloads).</param>
    /// <exception cref="IdxFormatException">A file fails its checksum, is malformed, or has unexpected contents.</exception>
    public async Task<MnistDataset> ReadAsync(IReadOnlySet<string> alreadyVerified, CancellationToken cancellationToken)
    {
        // Decompressing is CPU-bound; the four files are independent, so use the cores there are.
        var trainImages = Task.Run(() => ReadImages(files.TrainImages, alreadyVerified, cancellationToken), cancellationToken);
        var trainLabels = Task.Run(() => ReadLabels(files.TrainLabels, alreadyVerified, cancellationToken), cancellationToken);
        var testImages = Task.Run(() => ReadImages(files.TestImages, alreadyVerified, cancellationToken), cancellationToken);
        var testLabels = Task.Run(() => ReadLabels(files.TestLabels, alreadyVerified, cancellationToken), cancellationToken);

        // Awaiting in file order afterwards makes the reported error deterministic when several
        // files are bad; WhenAll alone surfaces whichever failed first.
        await Task.WhenAll(trainImages, trainLabels, testImages, testLabels)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return new MnistDataset(
            await trainImages.ConfigureAwait(false),
            await trainLabels.ConfigureAwait(false),
            await testImages.ConfigureAwait(false),
            await testLabels.ConfigureAwait(false));
    }

    private string PathOf(MnistFile file) => Path.Combine(directory, file.FileName);

    private IdxImages ReadImages(MnistFile file, IReadOnlySet<string> alreadyVerified, CancellationToken cancellationToken)
    {
        var path = PathOf(file);
        var images = IdxReader.ReadImages(ReadVerified(file, alreadyVerified, cancellationToken), path);
        if (images.Count != file.Count || images.Rows != MnistFile.ImageSide || images.Columns != MnistFile.ImageSide)
        {
            throw new IdxFormatException(
                path,
                $"{files.Name} file '{path}' holds {images.Count} images of {images.Rows}x{images.Columns}, expected {file.Count} of {MnistFile.ImageSide}x{MnistFile.ImageSide}.");
        }

        return images;
    }

    private byte[] ReadLabels(MnistFile file, IReadOnlySet<string> alreadyVerified, CancellationToken cancellationToken)
    {
        var path = PathOf(file);
        var labels = IdxReader.ReadLabels(ReadVerified(file, alreadyVerified, cancellationToken), path);
        if (labels.Length != file.Count)
        {
            throw new IdxFormatException(path, $"{files.Name} file '{path}' holds {labels.Length} labels, expected {file.Count}.");
        }

        var bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)9);
        if (bad >= 0)
        {
            throw new IdxFormatException(path, $"{files.Name} file '{path}' has label {labels[bad]} at index {bad}; labels are 0-9.");
        }

        return labels;
    }

    // The files are small (about 50 MB decompressed at most), so holding one in memory lets it be
    // hashed and parsed from a single read of the disk.
    private MemoryStream ReadVerified(MnistFile file, IReadOnlySet<string> alreadyVerified, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(file);
        var bytes = File.ReadAllBytes(path);
        if (!verifyChecksums || alreadyVerified.Contains(file.FileName))
        {
            return new MemoryStream(bytes, writable: false);
        }

        var (hashed, scope) = files.ChecksumScope == IdxChecksumScope.IdxData
            ? (Decompress(bytes, path), " (of its data after gzip decompression)")
            : (bytes, "");
        var actual = Convert.ToHexStringLower(SHA256.HashData(hashed));
        if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw ChecksumFailure(path, $"expected SHA-256 {file.Sha256}, actual {actual}{scope}", null);
        }

        return new MemoryStream(hashed, writable: false);
    }

    // Data that is not gzip is hashed as it is: a hand-decompressed copy under the .gz name holds the same IDX bytes.
    private byte[] Decompress(byte[] bytes, string path)
    {
        if (bytes is not [0x1f, 0x8b, ..])
        {
            return bytes;
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes, writable: false), CompressionMode.Decompress);
            using var data = new MemoryStream();
            gzip.CopyTo(data);
            return data.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw ChecksumFailure(path, $"its gzip data cannot be decompressed ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    private IdxFormatException ChecksumFailure(string path, string detail, Exception? inner) => new(
        path,
        $"{files.Name} file '{path}' fails its checksum: {detail}. " +
        $"The file is damaged, truncated or not the original; {checksumRemedy}",
        inner);
}
