using LipService.Api.Datasets;
using LipService.Training.Data;

namespace LipService.Api.Tests.Datasets;

/// <summary>Zips of class folders that are datasets: what the reader makes of them.</summary>
public sealed class ZipImageFolderReaderTests : IDisposable
{
    private static readonly DatasetOptions Limits = new();
    private readonly DatasetFiles _files = new();
    private readonly CollectingSink _sink = new();

    public void Dispose() => _files.Dispose();

    private ZipImageSet Read(string zip, int? channels = null, ZipImageSet? like = null) =>
        ZipImageFolderReader.Read(zip, "file", "shapes.zip", Limits, channels, like, _sink);

    [Fact]
    public void ThreeGrayClassesAreOneChannelLabelledInNameOrder()
    {
        // Folders out of order in the archive: labels follow the sorted names, not the archive.
        string zip = _files.Zip("shapes.zip",
        [
            ("triangle/", null),
            ("triangle/0.png", TestImages.GrayPng(16, 16, seed: 1)),
            ("circle/0.png", TestImages.GrayPng(16, 16, seed: 2)),
            ("circle/1.png", TestImages.GrayPng(16, 16, seed: 3)),
            ("square/0.png", TestImages.GrayPng(16, 16, seed: 4)),
        ]);

        ZipImageSet set = Read(zip);

        Assert.Equal(new ImageShape(1, 16, 16), set.Shape);
        Assert.Equal(["circle", "square", "triangle"], set.ClassNames);
        Assert.Equal([2, 1, 1], set.Counts);
        Assert.Equal([2, 0, 0, 1], _sink.Samples.Select(s => s.Label));
        byte[] triangle = _sink.Samples[0].Pixels;
        Assert.Equal(256, triangle.Length);
        Assert.Equal(TestImages.GrayAt(5, 3, seed: 1), triangle[(3 * 16) + 5]);
        Assert.Equal(TestImages.GrayAt(15, 15, seed: 1), triangle[255]);
    }

    [Fact]
    public void ColourImagesAreThreePlanesRedGreenBlue()
    {
        // 12 wide, 10 high, so rows and columns cannot be confused.
        string zip = _files.Zip("shapes.zip",
        [
            ("a/0.png", TestImages.RgbPng(12, 10, seed: 0)),
            ("b/0.png", TestImages.RgbPng(12, 10, seed: 50)),
        ]);

        ZipImageSet set = Read(zip);

        Assert.Equal(new ImageShape(3, 10, 12), set.Shape);
        byte[] b = _sink.Samples[1].Pixels;
        Assert.Equal(3 * 120, b.Length);
        var (r, g, bl) = TestImages.RgbAt(5, 3, seed: 50);
        int at = (3 * 12) + 5;
        Assert.Equal(r, b[at]);
        Assert.Equal(g, b[120 + at]);
        Assert.Equal(bl, b[240 + at]);
        Assert.Equal(1, _sink.Samples[1].Label);
    }

    [Fact]
    public void OneChannelAskedTurnsColourToLuma()
    {
        string zip = _files.Zip("shapes.zip", [("a/0.png", TestImages.RgbPng(8, 8)), ("b/0.png", TestImages.RgbPng(8, 8, seed: 9))]);

        ZipImageSet set = Read(zip, channels: 1);

        Assert.Equal(new ImageShape(1, 8, 8), set.Shape);
        var (r, g, b) = TestImages.RgbAt(2, 6);
        Assert.Equal((byte)(((77 * r) + (150 * g) + (29 * b) + 128) >> 8), _sink.Samples[0].Pixels[(6 * 8) + 2]);
    }

    [Fact]
    public void ThreeChannelsAskedRepeatGrayInEachPlane()
    {
        string zip = _files.Zip("shapes.zip", [("a/0.png", TestImages.GrayPng(8, 8)), ("b/0.png", TestImages.GrayPng(8, 8, seed: 7))]);

        ZipImageSet set = Read(zip, channels: 3);

        Assert.Equal(new ImageShape(3, 8, 8), set.Shape);
        byte[] pixels = _sink.Samples[1].Pixels;
        byte expected = TestImages.GrayAt(4, 1, seed: 7);
        Assert.Equal([expected, expected, expected], [pixels[12], pixels[64 + 12], pixels[128 + 12]]);
    }

    [Fact]
    public void JpegsAreRead()
    {
        string zip = _files.Zip("shapes.zip", [("a/0.jpg", TestImages.Jpeg(20, 20)), ("b/0.JPEG", TestImages.Jpeg(20, 20))]);

        ZipImageSet set = Read(zip);

        Assert.Equal(new ImageShape(3, 20, 20), set.Shape);
        Assert.Equal(2, _sink.Samples.Count);
    }

    [Fact]
    public void MacOsLitterIsIgnored()
    {
        byte[] png = TestImages.GrayPng(8, 8);
        string zip = _files.Zip("shapes.zip",
        [
            ("__MACOSX/", null),
            ("__MACOSX/a/._0.png", "resource fork"u8.ToArray()),
            (".DS_Store", [0, 0, 0, 1]),
            ("a/.DS_Store", [0, 0, 0, 1]),
            ("a/._0.png", [0, 5, 22, 7]),
            (".hidden/x.png", png),
            ("a/0.png", png),
            ("b/0.png", png),
        ]);

        ZipImageSet set = Read(zip);

        Assert.Equal(["a", "b"], set.ClassNames);
        Assert.Equal(2, _sink.Samples.Count);
    }

    [Fact]
    public void AValidationZipTakesTheTrainingClassesAndMayLackOne()
    {
        string train = _files.Zip("train.zip",
            [("a/0.png", TestImages.GrayPng(8, 8)), ("b/0.png", TestImages.GrayPng(8, 8)), ("c/0.png", TestImages.GrayPng(8, 8))]);
        ZipImageSet training = Read(train, channels: 3);
        _sink.Samples.Clear();
        string validation = _files.Zip("validation.zip", [("c/0.png", TestImages.GrayPng(8, 8)), ("c/1.png", TestImages.GrayPng(8, 8))]);

        ZipImageSet set = ZipImageFolderReader.Read(validation, "validation", "validation.zip", Limits, null, training, _sink);

        Assert.Equal(training.Shape, set.Shape);
        Assert.Equal(["a", "b", "c"], set.ClassNames);
        Assert.Equal([0, 0, 2], set.Counts);
        Assert.Equal([2, 2], _sink.Samples.Select(s => s.Label));
        Assert.Equal(3 * 64, _sink.Samples[0].Pixels.Length);
    }

    [Fact]
    public void SidesAtTheLimitsAreAccepted()
    {
        string zip = _files.Zip("shapes.zip", [("a/0.png", TestImages.GrayPng(8, 64)), ("b/0.png", TestImages.GrayPng(8, 64))]);

        Assert.Equal(new ImageShape(1, 64, 8), Read(zip).Shape);
    }
}
