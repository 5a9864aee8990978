namespace LipService.Training.Data;

/// <summary>Where Fashion-MNIST lives; bound from the "FashionMnist" configuration section.</summary>
public sealed class FashionMnistOptions
{
    public const string SectionName = "FashionMnist";

    /// <summary>Where Debian's package <c>dataset-fashion-mnist</c> installs the four files.</summary>
    public const string DebianPackageDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Folder holding the four .gz files; empty means <see cref="DebianPackageDirectory"/>. Unlike
    /// MNIST, nothing is ever written there, so a default cannot scatter files anywhere unexpected.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>Check the files against the published SHA-256 of their decompressed data.</summary>
    public bool VerifyChecksums { get; set; } = true;
}
