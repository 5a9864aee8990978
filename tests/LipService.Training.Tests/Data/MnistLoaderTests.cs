using System.Security.Cryptography;
using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>Loading from a local directory: what is accepted, and how each problem is reported.</summary>
public sealed class MnistLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EmptyDirectoryOption_IsRejectedUpFront()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MnistLoader(new MnistOptions()));

        Assert.Contains("Mnist:Directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedOptions()
    {
        var options = new MnistOptions();

        Assert.Equal("Mnist", MnistOptions.SectionName);
        Assert.True(options.Download);
        Assert.True(options.VerifyChecksums);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DownloadTimeout);
        Assert.Empty(options.Mirrors);
        Assert.Equal(
            ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
            options.EffectiveMirrors);
    }

    [Fact]
    public async Task MissingFilesWithoutDownload_NameTheAbsoluteDirectoryAndEveryMissingFile()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_dir.Path, "nowhere"));
        var loader = new MnistLoader(new MnistOptions { Directory = relative, Download = false });

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(() => loader.LoadAsync(CancellationToken.None));

        var absolute = Path.Combine(_dir.Path, "nowhere");
        Assert.Equal(absolute, ex.Directory);
        Assert.Equal(MnistFile.All.Select(f => f.FileName), ex.MissingFiles);
        Assert.Contains($"missing from {absolute}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Download is false", ex.Message, StringComparison.Ordinal);
        Assert.Contains(
            "copy the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Contains("Mnist:Directory", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SHA256SUMS", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(absolute), "A load that cannot download must not create the directory.");
    }

    [Fact]
    public async Task PartlyMissingFiles_ListOnlyTheAbsentOnes()
    {
        FakeMnist.Write(_dir.Path, MnistFile.TrainImages, [1]);
        FakeMnist.Write(_dir.Path, MnistFile.TestLabels, [1]);
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false });

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal([MnistFile.TrainLabels.FileName, MnistFile.TestImages.FileName], ex.MissingFiles);
        Assert.StartsWith(
            $"MNIST is not available: {MnistFile.TrainLabels.FileName}, {MnistFile.TestImages.FileName} missing from {_dir.Path}.",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StructurallyValidFilesWithChecksumsOff_LoadExactly()
    {
        var expected = FakeMnist.WriteFullSize(_dir.Path);
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = false });

        var data = await loader.LoadAsync(CancellationToken.None);

        Assert.Equal(60_000, data.TrainImages.Count);
        Assert.Equal(10_000, data.TestImages.Count);
        Assert.Equal((28, 28), (data.TrainImages.Rows, data.TrainImages.Columns));
        Assert.Equal(expected.TrainPixels, data.TrainImages.Pixels);
        Assert.Equal(expected.TrainLabels, data.TrainLabels);
        Assert.Equal(expected.TestPixels, data.TestImages.Pixels);
        Assert.Equal(expected.TestLabels, data.TestLabels);
    }

    [Fact]
    public async Task ChecksumMismatch_NamesTheFileBothHashesAndTheRemedy()
    {
        FakeMnist.WriteFullSize(_dir.Path);
        var path = _dir.File(MnistFile.TrainImages.FileName);
        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = true });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"expected SHA-256 {MnistFile.TrainImages.Sha256}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"actual {actual}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("delete it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedFileWithChecksumsOff_IsReportedByName()
    {
        FakeMnist.WriteFullSize(_dir.Path);
        var path = _dir.File(MnistFile.TrainLabels.FileName);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]);
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = false });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains("expected 60000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 59999", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongItemCount_IsRejected()
    {
        FakeMnist.WriteFullSize(_dir.Path);
        FakeMnist.Write(_dir.Path, MnistFile.TestImages, IdxTestFiles.Images(2, 28, 28, new byte[2 * 28 * 28]));
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = false });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(_dir.File(MnistFile.TestImages.FileName), ex.FilePath);
        Assert.Contains("holds 2 images of 28x28, expected 10000 of 28x28", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongImageSize_IsRejected()
    {
        FakeMnist.WriteFullSize(_dir.Path);
        FakeMnist.Write(_dir.Path, MnistFile.TestImages, IdxTestFiles.Images(10_000, 1, 784, new byte[10_000 * 784]));
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = false });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Contains("holds 10000 images of 1x784", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelCountDifferentFromImageCount_IsRejected()
    {
        FakeMnist.WriteFullSize(_dir.Path);
        FakeMnist.Write(_dir.Path, MnistFile.TrainLabels, IdxTestFiles.Labels(new byte[59_999]));
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = false });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Equal(_dir.File(MnistFile.TrainLabels.FileName), ex.FilePath);
        Assert.Contains("holds 59999 labels, expected 60000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelOutsideZeroToNine_IsRejectedWithItsIndex()
    {
        FakeMnist.WriteFullSize(_dir.Path);
        var labels = new byte[10_000];
        labels[1234] = 10;
        FakeMnist.Write(_dir.Path, MnistFile.TestLabels, IdxTestFiles.Labels(labels));
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false, VerifyChecksums = false });

        var ex = await Assert.ThrowsAsync<IdxFormatException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Contains("label 10 at index 1234", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SynchronousLoad_ReportsTheSameErrors()
    {
        var loader = new MnistLoader(new MnistOptions { Directory = _dir.Path, Download = false });

        var ex = Assert.Throws<MnistUnavailableException>(loader.Load);

        Assert.Equal(4, ex.MissingFiles.Count);
    }
}
