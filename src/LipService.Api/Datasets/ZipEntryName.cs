namespace LipService.Api.Datasets;

/// <summary>A zip entry's name judged as <c>class/file.png</c>; nothing here reads the entry's bytes.</summary>
/// <param name="Problem">Why a <see cref="ZipEntryKind.Refused"/> name is refused, worded to follow the quoted name.</param>
internal readonly record struct ZipEntryName(ZipEntryKind Kind, string ClassName, string? Problem)
{
    public const int MaxClassNameLength = 100;

    private const string Layout = "entries must be class/file.png (one folder per class)";

    public static ZipEntryName Parse(string fullName)
    {
        // Nothing is ever extracted to disk, but these names are refused all the same: they are how a
        // zip reaches outside its folder (path traversal), and a file that has them was not made as a dataset.
        if (fullName.Contains('\\', StringComparison.Ordinal))
            return Refuse($"has a backslash in its name, a way to point outside the dataset (path traversal); {Layout}, with '/'");
        if (fullName.StartsWith('/') || (fullName.Length >= 2 && char.IsAsciiLetter(fullName[0]) && fullName[1] == ':'))
            return Refuse($"is an absolute path, a way to point outside the dataset (path traversal); {Layout}");

        bool isFolder = fullName.EndsWith('/');
        string[] segments = (isFolder ? fullName[..^1] : fullName).Split('/');
        foreach (string segment in segments)
        {
            if (segment == "..")
                return Refuse($"has a '..' folder, which points outside the dataset (path traversal); {Layout}");
        }

        // macOS's Finder and Archive Utility add __MACOSX/ (resource forks), .DS_Store and ._file copies.
        if (segments[0] == "__MACOSX") return new(ZipEntryKind.Litter, "", null);
        foreach (string segment in segments)
        {
            if (segment.Length > 1 && segment[0] == '.') return new(ZipEntryKind.Litter, "", null);
        }

        foreach (string segment in segments)
        {
            if (segment is "" or ".")
                return Refuse($"has an empty or '.' folder name; {Layout}");
        }

        int folders = isFolder ? segments.Length : segments.Length - 1;
        if (folders == 0)
            return Refuse("is not inside a class folder; put each image in a folder named for its class (class/file.png)");
        if (folders > 1)
            return Refuse($"is in nested folders; {Layout}, with no folders inside the class folders");

        string className = segments[0];
        if (className.Length > MaxClassNameLength)
            return Refuse($"is in a folder whose name has {className.Length} characters; class names have at most {MaxClassNameLength}");
        if (isFolder) return new(ZipEntryKind.ClassFolder, className, null);

        string extension = Path.GetExtension(segments[1]);
        bool image = extension.Equals(".png", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".jpg", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase);
        return image
            ? new(ZipEntryKind.Image, className, null)
            : Refuse("is not a PNG or JPEG image (.png, .jpg or .jpeg); a class folder holds images only");
    }

    private static ZipEntryName Refuse(string problem) => new(ZipEntryKind.Refused, "", problem);
}
