namespace LipService.Api.Storage;

/// <summary>Free space on the disk that holds a folder: SQLite may still commit into space its files already hold, so a write alone does not show a full disk.</summary>
public static class DiskSpace
{
    /// <summary>Below this a write that grows the database or its WAL can fail; the health check reports it before a user meets it.</summary>
    public const long MinimumFreeBytes = 1024 * 1024;

    /// <returns>Bytes this process may still write there, or null when the folder's disk cannot be asked.</returns>
    public static long? FreeBytes(string? folder)
    {
        if (string.IsNullOrEmpty(folder)) return null;
        try
        {
            // On Linux DriveInfo asks statvfs about the path itself, so a folder on a mount below / reports that mount.
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public static bool IsNearlyFull(string? folder) => FreeBytes(folder) is { } free && free < MinimumFreeBytes;
}
