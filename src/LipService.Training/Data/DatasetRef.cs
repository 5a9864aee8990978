using System.Text.RegularExpressions;

namespace LipService.Training.Data;

/// <summary>
/// The dataset a spec trains on: one the service knows by name (<see cref="DatasetKind"/>) or one
/// a user uploaded, by its id. One string on the wire and in the store: the name, or the id.
/// </summary>
/// <remarks>The default value is MNIST, the notebook's dataset.</remarks>
public readonly partial record struct DatasetRef
{
    /// <summary>What every uploaded dataset's id starts with; no built-in name does.</summary>
    public const string UploadedPrefix = "ds-";

    private DatasetRef(DatasetKind kind, string? uploadedId)
    {
        Kind = kind;
        UploadedId = uploadedId;
    }

    /// <summary>The built-in dataset; meaningless when <see cref="IsUploaded"/>.</summary>
    public DatasetKind Kind { get; }

    /// <summary>The uploaded dataset's id, or null for a built-in one.</summary>
    public string? UploadedId { get; }

    public bool IsUploaded => UploadedId is not null;

    /// <summary>The name or the id: what the spec's <c>dataset</c> field holds.</summary>
    public string Name => UploadedId ?? Kind.ToName();

    public static implicit operator DatasetRef(DatasetKind kind) => new(kind, null);

    /// <summary>An uploaded dataset; <paramref name="id"/> must have the form <see cref="IsUploadedId"/> accepts.</summary>
    public static DatasetRef Uploaded(string id) => IsUploadedId(id)
        ? new(DatasetKind.Mnist, id)
        : throw new ArgumentException($"'{id}' is not a dataset id ({UploadedPrefix} and 24 lowercase hex digits).", nameof(id));

    /// <summary>Whether <paramref name="text"/> has the form of an uploaded dataset's id.</summary>
    public static bool IsUploadedId(string? text) => text is not null && IdPattern().IsMatch(text);

    /// <summary>A built-in name (any case, as <see cref="DatasetKinds.TryParse"/>), or an uploaded dataset's id (exactly).</summary>
    public static bool TryParse(string? text, out DatasetRef value)
    {
        value = default;
        if (DatasetKinds.TryParse(text, out var kind))
        {
            value = kind;
            return true;
        }
        string trimmed = (text ?? string.Empty).Trim();
        if (!IsUploadedId(trimmed)) return false;
        value = new(DatasetKind.Mnist, trimmed);
        return true;
    }

    public override string ToString() => Name;

    [GeneratedRegex("^ds-[0-9a-f]{24}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
