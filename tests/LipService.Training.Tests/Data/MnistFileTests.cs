using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

public sealed class MnistFileTests
{
    [Fact]
    public void All_ListsTheFourFilesWithTheirCounts()
    {
        Assert.Equal(
            ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            MnistFile.All.Select(f => f.FileName));
        Assert.Equal([60_000, 60_000, 10_000, 10_000], MnistFile.All.Select(f => f.Count));
    }

    [Fact]
    public void Checksums_AgreeWithTheSharedSha256Sums()
    {
        // sha256sum format: "<hex>  <name>".
        var published = File.ReadAllLines(Path.Combine(WorkspaceData.MnistDirectory, MnistFile.ChecksumFileName))
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1].Trim(), parts => parts[0]);

        Assert.Equal(4, published.Count);
        foreach (var file in MnistFile.All)
        {
            Assert.Equal(published[file.FileName], file.Sha256);
        }
    }
}
