using System.IO.Compression;
using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>
/// Fashion-MNIST from Debian's package, or from a configured folder: the real files load, and a
/// missing, damaged or altered file is reported with its name and what to do.
/// </summary>
public sealed class FashionMnistLoaderTests : IDisposable
{
    private static readonly IdxDatasetFiles Files = IdxDatasetFiles.FashionMnist;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_ReadDebiansPackageFolderWithChecksums()
    {
        var options = new FashionMnistOptions();

        Assert.Equal("FashionMnist", FashionMnistOptions.SectionName);
        Assert.Equal("", options.Directory);
        Assert.True(options.VerifyChecksums);
        Assert.Equal("/usr/share/datasets/fashion-mnist", new FashionMnistLoader(options).DataDirectory);
    }

    [Fact]
    public void ConfiguredRelativeDirectory_IsMadeAbsolute()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _dir.Path);

        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = relative });

        Assert.Equal(_dir.Path, loader.DataDirectory);
    }

    [Fact]
    public async Task DebianFiles_LoadWithChecksumsAsTenBalancedClasses()
    {
        FashionMnistPackage.Require();

        var data = await new FashionMnistLoader(new FashionMnistOptions()).LoadAsync(CancellationToken.None);

        Assert.Equal((60_000, 28, 28), (data.TrainImages.Count, data.TrainImages.Rows, data.TrainImages.Columns));
        Assert.Equal((10_000, 28, 28), (data.TestImages.Count, data.TestImages.Rows, data.TestImages.Columns));
        // Zalando's split has exactly 6,000 training and 1,000 test images of each of the ten classes.
        Assert.Equal(Enumerable.Repeat(6_000, 10), ClassCounts(data.TrainLabels));
        Assert.Equal(Enumerable.Repeat(1_000, 10), ClassCounts(data.TestLabels));
        // The first training and test items are both ankle boots (class 9), as upstream documents.
        Assert.Equal((9, 9), (data.TrainLabels[0], data.TestLabels[0]));
    }

    [Fact]
    public async Task MissingFolder_SaysToInstallThePackageOrConfigureAFolder()
    {
        var missing = Path.Combine(_dir.Path, "nowhere");
        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = missing });

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(missing, ex.Directory);
        Assert.Equal(Files.All.Select(f => f.FileName), ex.MissingFiles);
        Assert.StartsWith(
            "Fashion-MNIST is not available: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
            $"t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz missing from {missing} (set by FashionMnist:Directory).",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Contains("never downloaded", ex.Message, StringComparison.Ordinal);
        Assert.Contains("install Debian's package (apt-get install dataset-fashion-mnist)", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "or set FashionMnist:Directory to a folder that holds the four files train-images-idx3-ubyte.gz, " +
            "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz.",
            ex.Message,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing), "Loading must not create the folder.");
    }

    [Fact]
    public void PartlyMissingFiles_ListOnlyTheAbsentOnes()
    {
        CopyPackage(Files.TrainImages, Files.TestLabels);
        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = _dir.Path });

        var ex = Assert.Throws<MnistUnavailableException>(loader.Load);

        Assert.Equal([Files.TrainLabels.FileName, Files.TestImages.FileName], ex.MissingFiles);
    }

    [Fact]
    public async Task RecompressedCopy_PassesItsChecksum()
    {
        // Checksums cover the decompressed data, so a copy gzipped anew (other bytes, same images) is
        // the original, as Debian's re-headered files are.
        CopyPackage();
        foreach (var file in Files.All)
        {
            Rewrite(file, raw => raw);
        }

        var copy = await new FashionMnistLoader(new FashionMnistOptions { Directory = _dir.Path }).LoadAsync(CancellationToken.None);

        Assert.NotEqual(File.ReadAllBytes(FashionMnistPackage.File(Files.TestLabels.FileName)), File.ReadAllBytes(_dir.File(Files.TestLabels.FileName)));
        Assert.Equal(60_000, copy.TrainImages.Count);
        Assert.Equal(9, copy.TestLabels[0]);
    }

    [Fact]
    public async Task ChangedLabel_FailsItsChecksumNamingTheFile()
    {
        // Valid gzip, valid IDX, one label changed: only the checksum can tell.
        CopyPackage();
        Rewrite(Files.TrainLabels, raw => ChangeByte(raw, 8));
        var path = _dir.File(Files.TrainLabels.FileName);
        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = _dir.Path });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(
            $"Fashion-MNIST file '{path}' fails its checksum: expected SHA-256 {Files.TrainLabels.Sha256}, actual ",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Contains("(of its data after gzip decompression)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install --reinstall dataset-fashion-mnist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedLabelWithChecksumsOff_Loads()
    {
        CopyPackage();
        Rewrite(Files.TestLabels, raw => ChangeByte(raw, 8));
        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = _dir.Path, VerifyChecksums = false });

        var data = await loader.LoadAsync(CancellationToken.None);

        Assert.Equal(0, data.TestLabels[0]);
    }

    [Fact]
    public async Task FlippedByteInTheGzipFile_FailsItsChecksumNamingTheFile()
    {
        CopyPackage();
        var path = _dir.File(Files.TestImages.FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = _dir.Path });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith($"Fashion-MNIST file '{path}' fails its checksum: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooFewImages_AreRejectedLikeMnists()
    {
        CopyPackage();
        FakeMnist.Write(_dir.Path, Files.TestImages, IdxTestFiles.Gzip(IdxTestFiles.Images(2, 28, 28, new byte[2 * 28 * 28])));
        var loader = new FashionMnistLoader(new FashionMnistOptions { Directory = _dir.Path, VerifyChecksums = false });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(_dir.File(Files.TestImages.FileName), ex.FilePath);
        Assert.Contains("holds 2 images of 28x28, expected 10000 of 28x28", ex.Message, StringComparison.Ordinal);
    }

    private static int[] ClassCounts(byte[] labels) =>
        Enumerable.Range(0, 10).Select(c => labels.Count(l => l == c)).ToArray();

    private static byte[] ChangeByte(byte[] raw, int index)
    {
        raw[index] = (byte)((raw[index] + 1) % 10);
        return raw;
    }

    /// <summary>Copies the package's files (all four when none are named) into the temp folder.</summary>
    private void CopyPackage(params MnistFile[] only)
    {
        foreach (var file in only.Length > 0 ? only : Files.All)
        {
            File.Copy(FashionMnistPackage.File(file.FileName), _dir.File(file.FileName));
        }
    }

    /// <summary>Decompresses a copied file, changes its IDX bytes, and gzips it again.</summary>
    private void Rewrite(MnistFile file, Func<byte[], byte[]> change)
    {
        var path = _dir.File(file.FileName);
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        {
            gzip.CopyTo(raw);
        }

        File.WriteAllBytes(path, IdxTestFiles.Gzip(change(raw.ToArray())));
    }
}
