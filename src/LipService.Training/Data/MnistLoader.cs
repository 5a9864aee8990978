using System.Security.Cryptography;

namespace LipService.Training.Data;

/// <summary>
/// Loads MNIST from <see cref="MnistOptions.Directory"/>, downloading missing files first when
/// allowed. A file only ever appears under its final name after its SHA-256 matched, so a failed
/// or interrupted download never leaves a half-written file that a later run would trust.
/// </summary>
public sealed class MnistLoader
{
    private const int CopyBufferSize = 1 << 16;

    private readonly MnistOptions _options;
    private readonly HttpClient? _http;

    /// <param name="options">Where the files are and whether they may be downloaded.</param>
    /// <param name="http">Client for downloads; when null, one is created per load and disposed after it.</param>
    public MnistLoader(MnistOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new ArgumentException(
                $"MnistOptions.Directory is empty; the host must choose where MNIST lives ({MnistOptions.SectionName}:Directory).",
                nameof(options));
        }

        _options = options;
        _http = http;
        DataDirectory = Path.GetFullPath(options.Directory);
    }

    /// <summary>Absolute form of <see cref="MnistOptions.Directory"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>Blocking form of <see cref="LoadAsync"/>, for callers without an async context.</summary>
    public MnistDataset Load() => LoadAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <exception cref="MnistUnavailableException">Files are missing and could not be downloaded.</exception>
    /// <exception cref="IdxFormatException">A file fails its checksum, is malformed, or has unexpected contents.</exception>
    public async Task<MnistDataset> LoadAsync(CancellationToken cancellationToken = default)
    {
        var alreadyVerified = await EnsureFilesAsync(cancellationToken).ConfigureAwait(false);
        var reader = new IdxDatasetReader(
            IdxDatasetFiles.Mnist,
            DataDirectory,
            _options.VerifyChecksums,
            $"delete it so it is downloaded again, or replace it with a good copy (expected SHA-256 in {MnistFile.ChecksumFileName}).");
        return await reader.ReadAsync(alreadyVerified, cancellationToken).ConfigureAwait(false);
    }

    private string PathOf(MnistFile file) => Path.Combine(DataDirectory, file.FileName);

    /// <summary>Downloads the files that are missing (checksummed, renamed into place), without loading any.</summary>
    /// <exception cref="MnistUnavailableException">Files are missing and could not be downloaded.</exception>
    public Task DownloadMissingAsync(CancellationToken cancellationToken = default) => EnsureFilesAsync(cancellationToken);

    /// <returns>Names of the files downloaded (and so already checksummed) by this call.</returns>
    private async Task<IReadOnlySet<string>> EnsureFilesAsync(CancellationToken cancellationToken)
    {
        var downloaded = new HashSet<string>(StringComparer.Ordinal);
        var missing = IdxDatasetFiles.Mnist.MissingFrom(DataDirectory);
        if (missing.Count == 0)
        {
            return downloaded;
        }

        if (!_options.Download)
        {
            throw Unavailable(missing, $"Downloading is disabled ({MnistOptions.SectionName}:Download is false).", null);
        }

        var mirrors = _options.EffectiveMirrors;
        try
        {
            Directory.CreateDirectory(DataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(missing, $"The directory could not be created for downloading: {ex.Message}", ex);
        }

        var ownedClient = _http is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
        try
        {
            var http = _http ?? ownedClient!;
            for (var i = 0; i < missing.Count; i++)
            {
                var (fetched, error) = await DownloadAsync(http, missing[i], mirrors, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    // Without a working mirror the other files would fail the same way, each
                    // after its own timeouts; report them all now instead.
                    throw Unavailable(
                        missing.Skip(i).ToList(),
                        $"Downloading failed from every mirror ({string.Join(", ", mirrors)}); last error: {error.Message.TrimEnd('.')}.",
                        error);
                }

                if (fetched)
                {
                    downloaded.Add(missing[i].FileName);
                }
            }
        }
        finally
        {
            ownedClient?.Dispose();
        }

        return downloaded;
    }

    /// <returns>
    /// Fetched: this call downloaded and verified the file (false when another process put it in
    /// place meanwhile). Error: set when every mirror failed, describing the last failure.
    /// </returns>
    private async Task<(bool Fetched, Exception? Error)> DownloadAsync(
        HttpClient http, MnistFile file, IReadOnlyList<string> mirrors, CancellationToken cancellationToken)
    {
        var target = PathOf(file);
        Exception? lastError = null;
        foreach (var mirror in mirrors)
        {
            var url = mirror.EndsWith('/') ? mirror + file.FileName : mirror + "/" + file.FileName;

            // Dot-prefixed and never the final name: a crash mid-download leaves only an
            // obviously partial file, which the next run ignores.
            var temp = Path.Combine(DataDirectory, $".{file.FileName}.{Guid.NewGuid():N}.part");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.DownloadTimeout);
            try
            {
                var actual = await DownloadToFileAsync(http, url, temp, timeout.Token).ConfigureAwait(false);
                if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    lastError = new InvalidDataException(
                        $"{url} served data with SHA-256 {actual}, expected {file.Sha256}.");
                    continue;
                }

                try
                {
                    File.Move(temp, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another process finished the same file first; its copy is checked like any existing file.
                    return (false, null);
                }

                return (true, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException ex)
            {
                lastError = new TimeoutException($"{url}: no complete response within {_options.DownloadTimeout}.", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException
                                           or UriFormatException or InvalidOperationException)
            {
                lastError = new IOException($"{url}: {ex.Message}", ex);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        return (false, lastError ?? new InvalidOperationException("No mirror was tried."));
    }

    /// <returns>Lower-case hex SHA-256 of the bytes written.</returns>
    private static async Task<string> DownloadToFileAsync(HttpClient http, string url, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                // On disk before the rename, so a crash cannot leave a final-named file with lost contents.
                output.Flush(flushToDisk: true);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover dot-prefixed .part file is harmless; the download's own error matters more.
        }
    }

    private MnistUnavailableException Unavailable(IReadOnlyList<MnistFile> missing, string reason, Exception? inner)
    {
        var names = missing.Select(f => f.FileName).ToArray();
        var message =
            $"MNIST is not available: {string.Join(", ", names)} missing from {DataDirectory}. {reason} " +
            $"To fix: copy the four files {string.Join(", ", MnistFile.All.Select(f => f.FileName))} into {DataDirectory} " +
            $"(or set {MnistOptions.SectionName}:Directory to a folder that holds them); " +
            $"expected SHA-256 in {MnistFile.ChecksumFileName}.";
        return new MnistUnavailableException(DataDirectory, names, message, inner);
    }
}
