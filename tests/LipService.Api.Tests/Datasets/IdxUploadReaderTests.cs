using System.Diagnostics;
using LipService.Api.Datasets;
using LipService.Training.Data;

namespace LipService.Api.Tests.Datasets;

/// <summary>IDX pairs, raw or gzip: what the reader makes of them, and what it refuses.</summary>
public sealed class IdxUploadReaderTests : IDisposable
{
    private readonly DatasetFiles _files = new();
    private readonly CollectingSink _sink = new();

    public void Dispose() => _files.Dispose();

    private IdxImageSet Read(byte[] images, byte[] labels, DatasetOptions? limits = null, ImageShape? like = null)
    {
        string imagesPath = _files.Write("images.idx", images);
        string labelsPath = _files.Write("labels.idx", labels);
        return IdxUploadReader.Read(imagesPath, "file", "images.idx", labelsPath, "labels", "labels.idx", limits ?? new DatasetOptions(), like, _sink);
    }

    private DatasetRejectedException Refused(byte[] images, byte[] labels, string field, int status = 400, DatasetOptions? limits = null,
        ImageShape? like = null, bool sinkEmpty = true)
    {
        var error = Assert.Throws<DatasetRejectedException>(() => Read(images, labels, limits, like));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(field == "file" ? "images.idx: " : "labels.idx: ", error.Message, StringComparison.Ordinal);
        if (sinkEmpty) Assert.Empty(_sink.Samples);
        return error;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GrayImagesAreReadRawOrGzip(bool gzip)
    {
        // 8 high, 10 wide: rows and columns cannot be confused.
        byte[] images = IdxFiles.Images(5, 8, 10);
        byte[] labels = IdxFiles.CyclingLabels(5);
        IdxImageSet set = gzip ? Read(DatasetFiles.Gzip(images), DatasetFiles.Gzip(labels)) : Read(images, labels);

        Assert.Equal(new ImageShape(1, 8, 10), set.Shape);
        Assert.Equal(5, set.Count);
        Assert.Equal([0, 1, 2, 0, 1], _sink.Samples.Select(s => s.Label));
        Assert.Equal(images.AsSpan(16 + (3 * 80), 80).ToArray(), _sink.Samples[3].Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ColourImagesAreTurnedFromHwcToChw(bool gzip)
    {
        static byte Pixel(int n, int y, int x, int c) => (byte)(((n * 50) + (y * 8) + x + (c * 100)) % 256);
        byte[] images = IdxFiles.Images(3, 9, 8, channels: 3, pixel: Pixel);
        byte[] labels = IdxFiles.CyclingLabels(3);
        IdxImageSet set = gzip ? Read(DatasetFiles.Gzip(images), DatasetFiles.Gzip(labels)) : Read(images, labels);

        Assert.Equal(new ImageShape(3, 9, 8), set.Shape);
        byte[] second = _sink.Samples[1].Pixels;
        Assert.Equal(3 * 72, second.Length);
        for (int c = 0; c < 3; c++)
            Assert.Equal(Pixel(1, 4, 6, c), second[(c * 72) + (4 * 8) + 6]);
    }

    [Fact]
    public void FourDimensionsWithOneChannelAreGray()
    {
        IdxImageSet set = Read(IdxFiles.Images(2, 8, 8, channels: 1), IdxFiles.CyclingLabels(2));
        Assert.Equal(new ImageShape(1, 8, 8), set.Shape);
    }

    [Fact]
    public void AValidationPairOfTheTrainingShapeIsRead()
    {
        IdxImageSet set = Read(IdxFiles.Images(2, 8, 8), IdxFiles.CyclingLabels(2), like: new ImageShape(1, 8, 8));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void ARawFileEndingEarlyIsRefusedBeforeAnySample()
    {
        byte[] images = IdxFiles.Images(12, 8, 8, declaredCount: 100);
        var error = Refused(images, IdxFiles.CyclingLabels(100), "file");
        Assert.Equal("images.idx: ends after 12 of 100 images.", error.Message);
    }

    [Fact]
    public void AGzipFileEndingEarlyIsRefused()
    {
        byte[] images = DatasetFiles.Gzip(IdxFiles.Images(12, 8, 8, declaredCount: 100));
        var error = Refused(images, IdxFiles.CyclingLabels(100), "file", sinkEmpty: false);
        Assert.Equal("images.idx: ends after 12 of 100 images, after gzip decompression.", error.Message);
    }

    [Fact]
    public void ACountMismatchIsRefused()
    {
        var error = Refused(IdxFiles.Images(5, 8, 8), IdxFiles.CyclingLabels(4), "labels");
        Assert.Contains("holds 4 labels but images.idx holds 5 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALabelOutOfRangeIsRefusedBeforeAnySample()
    {
        var error = Refused(IdxFiles.Images(5, 8, 8), IdxFiles.Labels(0, 1, 2, 150, 1), "labels");
        Assert.Equal("labels.idx: label 150 of image 3 (counting from 0) is out of range; labels must be 0–99.", error.Message);
    }

    [Fact]
    public void OneClassOnlyIsRefused()
    {
        var error = Refused(IdxFiles.Images(3, 8, 8), IdxFiles.Labels(2, 2, 2), "labels");
        Assert.Contains("one class only: every label is 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongMagicIsRefusedSayingWhatItIs()
    {
        byte[] images = IdxFiles.Images(3, 8, 8);
        images[3] = 0x02;
        var error = Refused(images, IdxFiles.CyclingLabels(3), "file");
        Assert.Equal("images.idx: is not an IDX images file (magic 0x00000802; expected 0x00000803 or 0x00000804).", error.Message);
    }

    [Fact]
    public void LabelsUploadedAsImagesAreRefused()
    {
        var error = Refused(IdxFiles.CyclingLabels(3), IdxFiles.CyclingLabels(3), "file");
        Assert.Contains("is an IDX labels file (magic 0x00000801), not images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagesUploadedAsLabelsAreRefused()
    {
        var error = Refused(IdxFiles.Images(3, 8, 8), IdxFiles.Images(3, 8, 8), "labels");
        Assert.Contains("is an IDX images file (magic 0x00000803), not labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderDeclaring50GBIsRefusedAtOnce()
    {
        // Header only: 12.5 million 64×64 images, 51 GB, and no data behind it. Reading any further
        // would end in "ends after 0 of …", not in this message; the labels file is never opened.
        byte[] images = IdxFiles.Images(0, 64, 64, declaredCount: 12_500_000);
        var clock = Stopwatch.StartNew();
        var error = Refused(images, [], "file", 413);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Contains("12,500,000 images of 64×64, 1 channel take 47.7 GiB once decoded; a dataset may take at most 512 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreImagesThanMaxImagesIs413()
    {
        var error = Refused(IdxFiles.Images(5, 8, 8), IdxFiles.CyclingLabels(5), "file", 413, new DatasetOptions { MaxImages = 4 });
        Assert.Contains("declares 5 images; a dataset may hold at most 4 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        byte[] images = [.. IdxFiles.Images(3, 8, 8), 1, 2, 3];
        var error = Refused(images, IdxFiles.CyclingLabels(3), "file");
        Assert.Contains("has bytes after the 3 images its header declares", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingBytesInGzipAreRefused()
    {
        byte[] images = DatasetFiles.Gzip([.. IdxFiles.Images(3, 8, 8), 1, 2, 3]);
        var error = Refused(images, IdxFiles.CyclingLabels(3), "file", sinkEmpty: false);
        Assert.Contains("has bytes after the 3 images its header declares", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingLabelBytesAreRefused()
    {
        byte[] labels = [.. IdxFiles.CyclingLabels(3), 0];
        var error = Refused(IdxFiles.Images(3, 8, 8), labels, "labels");
        Assert.Contains("has bytes after the 3 labels its header declares", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsEndingEarlyAreRefused()
    {
        byte[] labels = IdxFiles.CyclingLabels(3)[..^1];
        var error = Refused(IdxFiles.Images(3, 8, 8), labels, "labels");
        Assert.Equal("labels.idx: ends after 2 of 3 labels.", error.Message);
    }

    [Theory]
    [InlineData(4, 8)]
    [InlineData(8, 65)]
    public void SidesOutsideTheLimitsAreRefused(int height, int width)
    {
        var error = Refused(IdxFiles.Images(2, height, width), IdxFiles.CyclingLabels(2), "file");
        Assert.Equal($"images.idx: holds {height}×{width} images; images must be 64×64 at most, 8×8 at least.", error.Message);
    }

    [Fact]
    public void TwoChannelsAreRefused()
    {
        var error = Refused(IdxFiles.Images(2, 8, 8, channels: 2), IdxFiles.CyclingLabels(2), "file");
        Assert.Contains("has 2 channels per pixel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationImagesOfAnotherShapeAreRefused()
    {
        var error = Refused(IdxFiles.Images(2, 8, 10), IdxFiles.CyclingLabels(2), "file", like: new ImageShape(1, 28, 28));
        Assert.Contains("holds images of 8×10, 1 channel but the training images are 28×28, 1 channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenGzipIsRefused()
    {
        byte[] images = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        var error = Refused(images, IdxFiles.CyclingLabels(2), "file");
        Assert.Contains("is not valid gzip data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsRefused()
    {
        var error = Refused([], IdxFiles.CyclingLabels(2), "file");
        Assert.Equal("images.idx: is too short to be an IDX file (0 bytes).", error.Message);
    }
}
