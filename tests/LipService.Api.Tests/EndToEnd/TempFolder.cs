namespace LipService.Api.Tests.EndToEnd;

/// <summary>A temporary folder for a real service process's data, removed when the test ends.</summary>
internal sealed class TempFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed service may still hold its SQLite file for a moment; the OS cleans the temp folder.
        }
    }
}
