using System.IO.Compression;
using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_ReturnsHeaderSizesAndEveryPixelInOrder(bool gzip)
    {
        var pixels = IdxTestFiles.RandomBytes(3 * 4 * 5, seed: 1);
        var path = Write("images.idx", IdxTestFiles.Images(3, 4, 5, pixels), gzip);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(3, images.Count);
        Assert.Equal(4, images.Rows);
        Assert.Equal(5, images.Columns);
        Assert.Equal(20, images.PixelsPerImage);
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(pixels.AsSpan(40, 20).ToArray(), images.Image(2).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_ReturnsEveryLabelInOrder(bool gzip)
    {
        byte[] labels = [7, 0, 9, 3, 3, 8, 1];
        var path = Write("labels.idx", IdxTestFiles.Labels(labels), gzip);

        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void ReadImages_HandlesDataLargerThanOneReadChunk()
    {
        // 20 MB of pixels: more than the reader's first buffer, so the growth path is exercised.
        var pixels = IdxTestFiles.RandomBytes(5_000 * 64 * 64, seed: 2);
        var path = Write("big.idx.gz", IdxTestFiles.Images(5_000, 64, 64, pixels), gzip: true);

        Assert.Equal(pixels, IdxReader.ReadImages(path).Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StreamOverloads_AcceptNonSeekableStreams(bool gzipInside)
    {
        byte[] labels = [4, 2];
        var file = IdxTestFiles.Labels(labels);
        var payload = gzipInside ? IdxTestFiles.Gzip(file) : file;

        // Decompressing one more gzip layer yields the payload through a stream that cannot seek.
        using var nonSeekable = new GZipStream(new MemoryStream(IdxTestFiles.Gzip(payload)), CompressionMode.Decompress);
        Assert.False(nonSeekable.CanSeek);

        Assert.Equal(labels, IdxReader.ReadLabels(nonSeekable, "in-memory labels"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedData_IsRejectedWithExpectedAndActualByteCounts(bool gzip)
    {
        var file = IdxTestFiles.Images(3, 4, 5, IdxTestFiles.RandomBytes(60, seed: 3));
        var path = Write("short-images.idx", file[..^10], gzip);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected 60 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 50", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedHeader_IsRejected()
    {
        var path = Write("short-header.idx", IdxTestFiles.Header(IdxTestFiles.ImagesMagic, 3, 4, 5)[..10], gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected 16 bytes, got 10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFile_IsRejected()
    {
        var path = Write("empty.idx", [], gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("too short", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingBytes_AreRejected(bool gzip)
    {
        byte[] labels = [1, 2, 3];
        var path = Write("long-labels.idx", [.. IdxTestFiles.Labels(labels), 0xAA, 0xBB, 0xCC], gzip);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 unexpected trailing byte(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongMagic_IsRejectedWithFoundAndExpectedValues()
    {
        var path = Write("not-idx.bin", [.. IdxTestFiles.Header(0x1234_5678, 1, 1, 1), 0], gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x12345678", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000803", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelFileReadAsImages_IsRejectedForItsDimensionCount()
    {
        var path = Write("labels-as-images.idx", IdxTestFiles.Labels([1, 2]), gzip: true);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 dimension(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000803", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongTypeByte_IsRejected()
    {
        // 0x0D is the IDX code for 4-byte floats.
        var path = Write("floats.idx", [.. IdxTestFiles.Header(0x0000_0D01, 2), 0, 0, 0, 0, 0, 0, 0, 0], gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("data type 0x0D", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unsigned bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 28, 28, "item count 0")]
    [InlineData(-1, 28, 28, "item count -1")]
    [InlineData(10_000_001, 28, 28, "item count 10000001")]
    [InlineData(1, 4097, 28, "row count 4097")]
    [InlineData(1, 28, 0, "column count 0")]
    public void ImplausibleSizes_AreRejected(int count, int rows, int columns, string problem)
    {
        var path = Write("sizes.idx", IdxTestFiles.Header(IdxTestFiles.ImagesMagic, count, rows, columns), gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SizesTooLargeForMemory_AreRejectedBeforeReadingData()
    {
        var path = Write("huge.idx", IdxTestFiles.Header(IdxTestFiles.ImagesMagic, 10_000_000, 4096, 4096), gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("more than fits in memory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeClaimedSizeWithTinyBody_ReportsTruncation()
    {
        var path = Write("claims-a-lot.idx.gz", [.. IdxTestFiles.Header(IdxTestFiles.ImagesMagic, 1_000_000, 28, 28), 1, 2, 3], gzip: true);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("expected 784000000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptGzipBody_IsRejectedAsGzipError()
    {
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.Labels([1, 2, 3]));
        byte[] corrupt = [.. gzip[..10], .. Enumerable.Repeat((byte)0xFF, 40)];
        var path = Write("corrupt.gz", corrupt, gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("gzip", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void GzipFileCutShort_IsRejected()
    {
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.Images(50, 28, 28, IdxTestFiles.RandomBytes(50 * 28 * 28, seed: 4)));
        var path = Write("cut.gz", gzip[..(gzip.Length / 2)], gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipWithWrongChecksum_IsRejected()
    {
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.Labels([1, 2, 3]));

        // The gzip trailer is CRC-32 then length; a wrong CRC must not pass as good data.
        gzip[^8] ^= 0xFF;
        var path = Write("bad-crc.gz", gzip, gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("gzip", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels(_dir.File("absent.idx")));
    }

    private string Write(string name, byte[] content, bool gzip)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, gzip ? IdxTestFiles.Gzip(content) : content);
        return path;
    }
}
