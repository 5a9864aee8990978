using LipService.Api.Storage;

namespace LipService.Api.Datasets;

/// <summary>Where upload parts wait on disk while they are parsed: <c>uploads</c> under Data:Directory.</summary>
internal static class DatasetUploadFolder
{
    /// <summary>Parts older than this were left by a process that died mid-upload (a live one takes minutes at most).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    public static string Path(StorageOptions storage) => System.IO.Path.Combine(System.IO.Path.GetFullPath(storage.Directory), "uploads");

    /// <summary>Deletes parts left by a process that died mid-upload.</summary>
    public static void SweepStale(string folder, DateTimeOffset now)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.part"))
        {
            try
            {
                if (file.LastWriteTimeUtc < (now - StaleAfter).UtcDateTime) file.Delete();
            }
            catch (IOException)
            {
                // Another process's sweep got there first, or the file is in use: it is someone else's now.
            }
        }
    }
}
