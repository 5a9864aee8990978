using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

public sealed class IdxDatasetFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Mnist_IsTheOriginalFilesCheckedAsStored()
    {
        Assert.Equal("MNIST", IdxDatasetFiles.Mnist.Name);
        Assert.Equal(MnistFile.All, IdxDatasetFiles.Mnist.All);
        Assert.Equal(IdxChecksumScope.GzipFile, IdxDatasetFiles.Mnist.ChecksumScope);
    }

    [Fact]
    public void FashionMnist_HasUpstreamsNamesAndCountsCheckedAfterDecompression()
    {
        var fashion = IdxDatasetFiles.FashionMnist;

        Assert.Equal("Fashion-MNIST", fashion.Name);
        Assert.Equal(MnistFile.All.Select(f => f.FileName), fashion.All.Select(f => f.FileName));
        Assert.Equal([60_000, 60_000, 10_000, 10_000], fashion.All.Select(f => f.Count));
        Assert.Equal(IdxChecksumScope.IdxData, fashion.ChecksumScope);
        Assert.Equal(4, fashion.All.Select(f => f.Sha256).Distinct().Count());
    }

    [Fact]
    public void MissingFrom_ListsTheAbsentFilesInOrder()
    {
        var files = IdxDatasetFiles.FashionMnist;
        File.WriteAllBytes(_dir.File(files.TrainLabels.FileName), []);
        File.WriteAllBytes(_dir.File(files.TestImages.FileName), []);

        Assert.Equal([files.TrainImages, files.TestLabels], files.MissingFrom(_dir.Path));
        Assert.Equal(files.All, files.MissingFrom(_dir.File("nowhere")));
    }
}
