namespace LipService.Api.Datasets;

/// <summary>What a zip entry's name makes of it in a dataset of one folder per class.</summary>
internal enum ZipEntryKind
{
    /// <summary>Left behind by an archiver or a file browser (<c>__MACOSX/</c>, <c>.DS_Store</c>): skipped.</summary>
    Litter,

    /// <summary><c>class/</c>: declares a class, which must then hold images.</summary>
    ClassFolder,

    /// <summary><c>class/file.png</c>, <c>.jpg</c> or <c>.jpeg</c>.</summary>
    Image,

    /// <summary>A name the dataset cannot have; <see cref="ZipEntryName.Problem"/> says why.</summary>
    Refused,
}
