namespace LipService.Api.Datasets;

/// <summary>One file part of a dataset upload, saved to a temporary file.</summary>
/// <param name="Field">The part's name: <c>file</c>, <c>labels</c>, <c>validation</c> or <c>validationLabels</c>.</param>
/// <param name="FileName">The name the client gave the file (for messages).</param>
/// <param name="Path">Where it was saved; deleted with its <see cref="DatasetUpload"/>.</param>
public sealed record UploadedFile(string Field, string FileName, string Path, long Length, byte[] Sha256)
{
    /// <summary>Its first bytes, for telling a zip, a gzip stream, an IDX file and text apart.</summary>
    public byte[] Head(int count)
    {
        using var stream = File.OpenRead(Path);
        var head = new byte[count];
        int read = stream.ReadAtLeast(head, count, throwOnEndOfStream: false);
        return head[..read];
    }
}
