using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LipService.Api.Datasets;

/// <summary>
/// A received dataset upload: its file parts on disk and its form fields. Disposing deletes the files,
/// so an upload leaves nothing behind whatever becomes of it.
/// </summary>
public sealed class DatasetUpload : IDisposable
{
    public const string FileField = "file";
    public const string LabelsField = "labels";
    public const string ValidationField = "validation";
    public const string ValidationLabelsField = "validationLabels";

    public const string NameField = "name";
    public const string ValidationFractionField = "validationFraction";
    public const string ChannelsField = "channels";
    public const string HeightField = "height";
    public const string WidthField = "width";

    /// <summary>The file parts, in the order the id hashes them.</summary>
    public static IReadOnlyList<string> FileFields { get; } = [FileField, LabelsField, ValidationField, ValidationLabelsField];

    /// <summary>The plain fields a form may have.</summary>
    public static IReadOnlyList<string> TextFields { get; } = [NameField, ValidationFractionField, ChannelsField, HeightField, WidthField];

    private readonly Dictionary<string, UploadedFile> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> fields = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, UploadedFile> Files => files;

    public IReadOnlyDictionary<string, string> Fields => fields;

    public long TotalBytes { get; private set; }

    internal void Add(UploadedFile file)
    {
        files[file.Field] = file;
        TotalBytes += file.Length;
    }

    internal void Add(string field, string value) => fields[field] = value;

    public UploadedFile? File(string field) => files.GetValueOrDefault(field);

    public string? Field(string field) => fields.GetValueOrDefault(field);

    /// <summary>
    /// <c>ds-</c> and 24 hex digits of a SHA-256 over each file part's name and hash and the
    /// <paramref name="settings"/> that shape the samples (in a canonical form): the same upload gives
    /// the same id; another split or channel count another.
    /// </summary>
    public string Id(string settings)
    {
        var text = new StringBuilder();
        foreach (string field in FileFields)
        {
            if (files.TryGetValue(field, out var file)) text.Append(CultureInfo.InvariantCulture, $"{field}:{file.Length}:{Convert.ToHexStringLower(file.Sha256)}\n");
        }
        text.Append(settings);
        return Training.Data.DatasetRef.UploadedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..24];
    }

    public void Dispose()
    {
        foreach (var file in files.Values)
        {
            try
            {
                System.IO.File.Delete(file.Path);
            }
            catch (IOException)
            {
                // Swept at the next start (DatasetUploadFolder); nothing to tell the client.
            }
        }
        files.Clear();
    }
}
