namespace LipService.Api.Tests;

/// <summary>Files of the repository itself (tools, samples), found above the shared test output folder.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "LipService.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("LipService.sln not found above the test binaries.");
    });

    public static string Root => RootDirectory.Value;

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);
}
