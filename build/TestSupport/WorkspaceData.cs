namespace LipService.TestSupport;

/// <summary>
/// Locates data shared by the workspace rather than stored in the repository. The MNIST files live
/// beside the repository, at &lt;repo&gt;/../shared/data/mnist, so the lookup walks up from the test
/// binaries until some ancestor holds shared/data/mnist/SHA256SUMS.
/// </summary>
internal static class WorkspaceData
{
    private static readonly Lazy<string> Mnist = new(FindMnistDirectory);

    /// <summary>Absolute path of the folder holding the four MNIST .gz files and SHA256SUMS.</summary>
    public static string MnistDirectory => Mnist.Value;

    private static string FindMnistDirectory()
    {
        var relative = Path.Combine("shared", "data", "mnist");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No ancestor of {AppContext.BaseDirectory} holds shared/data/mnist/SHA256SUMS; " +
            "the MNIST test data is expected at <repo>/../shared/data/mnist.");
    }
}
