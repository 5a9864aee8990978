namespace LipService.TestSupport;

/// <summary>
/// Locates Fashion-MNIST as Debian's package <c>dataset-fashion-mnist</c> installs it. Tests that
/// need it fail, naming the package, when it is absent: skipping would let CI pass without ever
/// reading the real files (.ci/run installs the package).
/// </summary>
internal static class FashionMnistPackage
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] FileNames =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>Path of one of the package's files, after checking that all four are installed.</summary>
    public static string File(string name)
    {
        var missing = FileNames.Where(f => !System.IO.File.Exists(Path.Combine(Directory, f))).ToArray();
        Assert.True(
            missing.Length == 0,
            $"Fashion-MNIST test data missing from {Directory} ({string.Join(", ", missing)}): " +
            "install Debian's package with `apt-get install dataset-fashion-mnist`.");
        return Path.Combine(Directory, name);
    }

    /// <summary>Checks that the package is installed; returns its folder.</summary>
    public static string Require()
    {
        File(FileNames[0]);
        return Directory;
    }
}
