using System.IO.Compression;
using LipService.Api.Datasets;
using LipService.Training.Data;

namespace LipService.Api.Tests.Datasets;

/// <summary>
/// Zips that are not datasets are refused with a message naming the file, the entry and the problem;
/// those refused from the listing or the headers hand nothing to the sink.
/// </summary>
public sealed class ZipRejectionTests : IDisposable
{
    private static readonly byte[] Png8 = TestImages.GrayPng(8, 8);
    private readonly DatasetFiles _files = new();
    private readonly CollectingSink _sink = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A zip of <paramref name="entries"/>, read; the rejection is checked and returned.</summary>
    private DatasetRejectedException Refused(IEnumerable<(string Name, byte[]? Body)> entries, int status = 400, DatasetOptions? limits = null,
        ZipImageSet? like = null, bool sinkEmpty = true, CompressionLevel level = CompressionLevel.Optimal, Action<string>? patch = null)
    {
        string zip = _files.Zip("shapes.zip", entries, level);
        patch?.Invoke(zip);
        var error = Assert.Throws<DatasetRejectedException>(() =>
            ZipImageFolderReader.Read(zip, "file", "shapes.zip", limits ?? new DatasetOptions(), null, like, _sink));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("file", error.Field);
        Assert.StartsWith("shapes.zip: ", error.Message, StringComparison.Ordinal);
        if (sinkEmpty) Assert.Empty(_sink.Samples);
        return error;
    }

    private static IEnumerable<(string, byte[]?)> WithTwoClasses(params (string, byte[]?)[] extra) =>
        [("a/0.png", Png8), ("b/0.png", Png8), .. extra];

    [Theory]
    [InlineData("../x.png", "'../x.png' has a '..' folder")]
    [InlineData("a/../../x.png", "'a/../../x.png' has a '..' folder")]
    [InlineData("/x/a.png", "'/x/a.png' is an absolute path")]
    [InlineData("C:/x/a.png", "'C:/x/a.png' is an absolute path")]
    [InlineData("a\\..\\x.png", "backslash")]
    public void PathTraversalIsRefused(string name, string problem)
    {
        var error = Refused(WithTwoClasses((name, Png8)));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("path traversal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipDeclaringMoreEntriesThanTheLimitsAllowIsRefusedBeforeItsDirectoryIsLoaded()
    {
        // 40 folder entries cost ZipArchive nothing to list, but past 2·MaxImages + 2·MaxClasses + 16
        // they are refused from the end record alone, as millions would be.
        var limits = new DatasetOptions { MaxImages = 4, MaxClasses = 2 };
        var entries = WithTwoClasses([.. Enumerable.Range(0, 40).Select(i => ((string, byte[]?))($"a/{i}/", null))]);
        var error = Refused(entries, status: 413, limits: limits);
        Assert.Contains("declares 42 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedFoldersAreRefused()
    {
        var error = Refused(WithTwoClasses(("a/b/c.png", Png8)));
        Assert.Contains("'a/b/c.png' is in nested folders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedFolderEntriesAreRefused()
    {
        var error = Refused(WithTwoClasses(("a/b/", null)));
        Assert.Contains("'a/b/' is in nested folders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileAtTheRootIsRefused()
    {
        var error = Refused(WithTwoClasses(("x.png", Png8)));
        Assert.Contains("'x.png' is not inside a class folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonImageIsRefused()
    {
        var error = Refused(WithTwoClasses(("a/readme.txt", "notes"u8.ToArray())));
        Assert.Contains("'a/readme.txt' is not a PNG or JPEG image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextNamedPngIsRefused()
    {
        var error = Refused(WithTwoClasses(("a/fake.png", "This is not a picture."u8.ToArray())));
        Assert.Contains("'a/fake.png' is not a PNG or JPEG image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherFormatNamedPngIsRefused()
    {
        var error = Refused(WithTwoClasses(("a/other.png", TestImages.Webp(8, 8))));
        Assert.Contains("'a/other.png' is not a PNG or JPEG image but Webp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedSizesAreRefusedNamingBothFiles()
    {
        var error = Refused([("circle/0.png", TestImages.GrayPng(28, 28)), ("circle/a.png", TestImages.GrayPng(32, 32)), ("square/0.png", TestImages.GrayPng(28, 28))]);
        Assert.Equal("shapes.zip: 'circle/a.png' is 32×32 but the first image, 'circle/0.png', is 28×28; every image must have one size.", error.Message);
    }

    [Theory]
    [InlineData(7, 8)]
    [InlineData(8, 65)]
    public void SidesOutsideTheLimitsAreRefused(int width, int height)
    {
        byte[] png = TestImages.GrayPng(width, height);
        var error = Refused([("a/0.png", png), ("b/0.png", png)]);
        Assert.Equal($"shapes.zip: 'a/0.png' is {width}×{height}; images must be 64×64 at most, 8×8 at least.", error.Message);
    }

    [Fact]
    public void OneClassOnlyIsRefused()
    {
        var error = Refused([("circle/", null), ("circle/0.png", Png8), ("circle/1.png", Png8)]);
        Assert.Contains("one class only", error.Message, StringComparison.Ordinal);
        Assert.Contains("'circle'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyZipIsRefused()
    {
        var error = Refused([("__MACOSX/", null)]);
        Assert.Contains("holds no images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyClassFolderIsRefused()
    {
        var error = Refused(WithTwoClasses(("c/", null), ("c/.DS_Store", [1])));
        Assert.Contains("empty class 'c'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongFolderNameIsRefused()
    {
        string name = new string('x', 101) + "/0.png";
        var error = Refused(WithTwoClasses((name, Png8)));
        Assert.Contains("101 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHighCompressionRatioIsRefusedAsABomb()
    {
        // 3 MB of zeros deflates to a few KB: a ratio near 1000, where an image stays near 1.
        var error = Refused(WithTwoClasses(("a/x.png", new byte[3_000_000])));
        Assert.Contains("'a/x.png' would inflate", error.Message, StringComparison.Ordinal);
        Assert.Contains("zip bomb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclaredSizeThatLiesIsRefusedAsABomb()
    {
        // The headers say 1,000 bytes, so the ratio looks harmless; the data inflates to 3 MB.
        var error = Refused(WithTwoClasses(("a/x.png", new byte[3_000_000])),
            patch: zip => ZipHeaders.DeclareLength(zip, "a/x.png", 1000));
        Assert.Contains("'a/x.png' ", error.Message, StringComparison.Ordinal);
        Assert.Contains("zip bomb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclaredSizeLargerThanTheDataIsRefused()
    {
        var error = Refused(WithTwoClasses(("a/x.png", Png8)), level: CompressionLevel.NoCompression,
            patch: zip => ZipHeaders.DeclareLength(zip, "a/x.png", (uint)Png8.Length + 10));
        Assert.Contains("'a/x.png' ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImageFileOverMaxImageBytesIs413()
    {
        byte[] png = TestImages.RgbPng(64, 64);
        var error = Refused([("a/0.png", png), ("b/0.png", Png8)], 413, new DatasetOptions { MaxImageBytes = png.Length - 1 });
        Assert.Contains("'a/0.png' is ", error.Message, StringComparison.Ordinal);
        Assert.Contains("an image file may be at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclaredSizesOverMaxExpandedBytesAre413()
    {
        var error = Refused(WithTwoClasses(("a/1.png", Png8)), 413, new DatasetOptions { MaxExpandedBytes = (2 * Png8.Length) + 1 });
        Assert.Contains("would inflate to more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodedSizeOverMaxExpandedBytesIs413()
    {
        // Two 64×64 gray images decode to 8,192 bytes; their PNGs, smooth gradients, take far less.
        byte[] png = TestImages.GrayPng(64, 64);
        Assert.True(2 * png.Length < 8191, $"{png.Length} bytes");
        var error = Refused([("a/0.png", png), ("b/0.png", png)], 413, new DatasetOptions { MaxExpandedBytes = 8191 });
        Assert.Contains("2 images of 64×64, 1 channel take 8 KiB once decoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreImagesThanMaxImagesIs413()
    {
        var error = Refused(WithTwoClasses(("a/1.png", Png8)), 413, new DatasetOptions { MaxImages = 2 });
        Assert.Contains("at most 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreClassesThanMaxClassesIsRefused()
    {
        var error = Refused(WithTwoClasses(("c/0.png", Png8)), 400, new DatasetOptions { MaxClasses = 2 });
        Assert.Contains("more than 2 class folders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNoZipIsRefused()
    {
        string path = _files.WriteText("shapes.zip", "label,pixel0\n1,2\n");
        var error = Assert.Throws<DatasetRejectedException>(() =>
            ZipImageFolderReader.Read(path, "file", "shapes.zip", new DatasetOptions(), null, null, _sink));
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("shapes.zip: is not a zip file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedPngIsRefusedWhenDecoded()
    {
        // The header survives the cut, so the listing and header pass accept it; decoding does not.
        byte[] png = TestImages.RgbPng(32, 32);
        byte[] cut = png[..(png.Length / 2)];
        var error = Refused([("a/0.png", png), ("b/0.png", cut)], sinkEmpty: false);
        Assert.Contains("'b/0.png' is truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidationFolderForAnUnknownClassIsRefused()
    {
        var like = new ZipImageSet(new ImageShape(1, 8, 8), ["a", "b"], [1, 1]);
        var error = Refused([("a/0.png", Png8), ("dog/0.png", Png8)], like: like);
        Assert.Contains("'dog/0.png' is in folder 'dog', a class the training set does not have (its classes: a, b)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidationImageOfAnotherSizeIsRefused()
    {
        var like = new ZipImageSet(new ImageShape(1, 16, 16), ["a", "b"], [1, 1]);
        var error = Refused([("a/0.png", Png8)], like: like);
        Assert.Contains("'a/0.png' is 8×8 but the training images are 16×16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelsOtherThanOneOrThreeAreRefused()
    {
        string zip = _files.Zip("shapes.zip", WithTwoClasses());
        var error = Assert.Throws<DatasetRejectedException>(() =>
            ZipImageFolderReader.Read(zip, "file", "shapes.zip", new DatasetOptions(), 2, null, _sink));
        Assert.Equal("channels", error.Field);
        Assert.Equal(400, error.StatusCode);
    }
}
