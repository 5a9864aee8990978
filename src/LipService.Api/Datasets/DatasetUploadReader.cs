using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LipService.Api.Datasets;

/// <summary>
/// Reads a multipart/form-data dataset upload part by part, straight to temporary files (hashed and
/// counted on the way), so no part is ever whole in memory.
/// </summary>
internal static class DatasetUploadReader
{
    private const int MaxFieldChars = 200;

    /// <exception cref="DatasetRejectedException">Not multipart, an unknown or repeated part, or more than <paramref name="maxBytes"/>.</exception>
    public static async Task<DatasetUpload> ReadAsync(HttpRequest request, string folder, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(request.ContentLength.Value, maxBytes);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new DatasetRejectedException("body", "Send the dataset as multipart/form-data with the file in a part named 'file'.");
        }

        Directory.CreateDirectory(folder);
        var upload = new DatasetUpload();
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            long received = 0;
            while (await NextAsync(reader, cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                    throw new DatasetRejectedException("body", "Every part of the form needs a Content-Disposition with a name.");
                if (upload.Files.ContainsKey(name) || upload.Fields.ContainsKey(name))
                    throw new DatasetRejectedException(name, $"The form has two parts named '{name}'; send each once.");
                if (DatasetUpload.FileFields.Contains(name))
                {
                    string fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value is { Length: > 0 } given ? Path.GetFileName(given) : name;
                    var file = await SaveAsync(section.Body, name, fileName, folder, maxBytes - received, maxBytes, cancellationToken);
                    upload.Add(file);
                    received += file.Length;
                }
                else if (DatasetUpload.TextFields.Contains(name))
                {
                    upload.Add(name, await ReadFieldAsync(section.Body, name, cancellationToken));
                }
                else
                {
                    throw new DatasetRejectedException(name, $"Unknown part '{name}'; the form takes the files {string.Join(", ", DatasetUpload.FileFields)} and the fields {string.Join(", ", DatasetUpload.TextFields)}.");
                }
            }
            if (upload.File(DatasetUpload.FileField) is null)
                throw new DatasetRejectedException(DatasetUpload.FileField, "Attach the dataset in a part named 'file': a zip of one folder per class, an IDX images file (with 'labels') or a CSV.");
            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private static async Task<MultipartSection?> NextAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetRejectedException("body", $"The multipart/form-data body could not be read: {e.Message}");
        }
    }

    private static async Task<UploadedFile> SaveAsync(Stream body, string field, string fileName, string folder, long budget, long maxBytes, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, $"{Guid.NewGuid():N}.part");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await ReadAsync(body, buffer, field, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > budget) throw TooLarge(null, maxBytes);
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (length == 0) throw new DatasetRejectedException(field, $"'{fileName}' is empty.");
            return new UploadedFile(field, fileName, path, length, hash.GetHashAndReset());
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static async Task<int> ReadAsync(Stream body, byte[] buffer, string field, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetRejectedException(field, $"The part '{field}' could not be read: {e.Message}");
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, string field, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[MaxFieldChars + 1];
        int length = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        if (length > MaxFieldChars) throw new DatasetRejectedException(field, $"'{field}' is longer than {MaxFieldChars} characters.");
        return new string(buffer, 0, length).Trim();
    }

    private static DatasetRejectedException TooLarge(long? declared, long maxBytes) => new(
        DatasetUpload.FileField,
        (declared is { } d ? $"The upload declares {d:N0} bytes; " : "The upload is larger than the limit; ")
            + $"at most {maxBytes:N0} bytes are taken (Datasets:MaxUploadBytes). Split the dataset, or raise the limit.",
        StatusCodes.Status413PayloadTooLarge);
}
