namespace LipService.Api.Tests;

/// <summary>Finds the workspace's MNIST copy at &lt;repo&gt;/../shared/data/mnist.</summary>
internal static class TestPaths
{
    public static string MnistDirectory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS"))) return candidate;
        }
        throw new DirectoryNotFoundException($"No ancestor of {AppContext.BaseDirectory} holds shared/data/mnist/SHA256SUMS.");
    }
}
