using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>Facts about the real MNIST files in the shared data folder, as published.</summary>
public sealed class RealMnistTests(RealMnistFixture fixture) : IClassFixture<RealMnistFixture>
{
    private readonly MnistDataset _data = fixture.Data;

    [Fact]
    public void Shapes_AreSixtyAndTenThousandImagesOf28By28()
    {
        Assert.Equal(60_000, _data.TrainImages.Count);
        Assert.Equal(10_000, _data.TestImages.Count);
        Assert.Equal(60_000, _data.TrainLabels.Length);
        Assert.Equal(10_000, _data.TestLabels.Length);
        foreach (var images in new[] { _data.TrainImages, _data.TestImages })
        {
            Assert.Equal(28, images.Rows);
            Assert.Equal(28, images.Columns);
            Assert.Equal(images.Count * 784, images.Pixels.Length);
        }
    }

    [Fact]
    public void ClassCounts_MatchThePublishedTable()
    {
        int[] train = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
        int[] test = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

        Assert.Equal(train, Histogram(_data.TrainLabels));
        Assert.Equal(test, Histogram(_data.TestLabels));
    }

    [Fact]
    public void ZeroVersusEight_HasTheKnownSizesBalanceAndPixelRange()
    {
        var train = ClassTask.Prepare(_data.TrainImages, _data.TrainLabels, [0, 8]);
        var test = ClassTask.Prepare(_data.TestImages, _data.TestLabels, [0, 8]);

        Assert.Equal(11_774, train.Count);
        Assert.Equal(1_954, test.Count);
        Assert.Equal(5923, train.BinaryTargets().Count(l => l == 1f));
        Assert.Equal(980, test.BinaryTargets().Count(l => l == 1f));
        foreach (var task in new[] { train, test })
        {
            Assert.Equal(784, task.Features);
            Assert.Equal(task.Count * 784, task.Pixels.Length);
            Assert.All(task.BinaryTargets(), l => Assert.True(l is 1f or -1f));
            Assert.Equal(0f, task.Pixels.Min());
            Assert.Equal(1f, task.Pixels.Max());
        }
    }

    private static int[] Histogram(byte[] labels)
    {
        var counts = new int[10];
        foreach (var label in labels)
        {
            counts[label]++;
        }

        return counts;
    }
}
