using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

public sealed class ClassTaskTests
{
    [Fact]
    public void Prepare_KeepsOnlyTheTwoClassesInOriginalOrderWithScaledPixels()
    {
        // Image i is filled with the value 10 * i, so each output row shows which input it came from.
        byte[] labels = [3, 5, 7, 3, 5, 1, 3];
        var pixels = new byte[labels.Length * 4];
        for (var i = 0; i < labels.Length; i++)
        {
            pixels.AsSpan(i * 4, 4).Fill((byte)(10 * i));
        }

        var task = ClassTask.Prepare(new IdxImages(labels.Length, 2, 2, pixels), labels, [3, 5]);

        Assert.Equal(5, task.Count);
        Assert.Equal(4, task.Features);
        Assert.Equal([3, 5], task.Classes);
        Assert.Equal([0L, 1, 0, 1, 0], task.ClassIndices);
        Assert.Equal([1f, -1f, 1f, -1f, 1f], task.BinaryTargets());
        int[] sources = [0, 1, 3, 4, 6];
        Assert.Equal(sources.SelectMany(i => Enumerable.Repeat(10 * i / 255f, 4)), task.Pixels);
    }

    [Fact]
    public void Prepare_IndexesSeveralClassesInTheOrderListed()
    {
        byte[] labels = [9, 0, 4, 7, 0, 9];
        var task = ClassTask.Prepare(new IdxImages(labels.Length, 1, 1, new byte[labels.Length]), labels, [0, 9, 4]);

        Assert.Equal([1L, 0, 2, 0, 1], task.ClassIndices);
        Assert.Throws<InvalidOperationException>(task.BinaryTargets);
    }

    [Fact]
    public void Prepare_MapsByteExtremesToExactlyZeroAndOne()
    {
        var task = ClassTask.Prepare(new IdxImages(1, 1, 3, [0, 128, 255]), [2], [2, 9]);

        Assert.Equal([0f, 128 / 255f, 1f], task.Pixels);
    }

    [Fact]
    public void Prepare_WithNeitherClassPresent_ReturnsAnEmptyTask()
    {
        var task = ClassTask.Prepare(new IdxImages(2, 1, 1, [1, 2]), [4, 4], [0, 1]);

        Assert.Equal(0, task.Count);
        Assert.Empty(task.Pixels);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(256, 1)]
    [InlineData(0, 256)]
    public void Prepare_RejectsClassesThatAreNoByteLabel(int first, int second)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => ClassTask.Prepare(new IdxImages(1, 1, 1, [0]), [0], [first, second]));

        Assert.Equal("classes", ex.ParamName);
        Assert.Contains("label from 0 to 255", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RejectsFewerThanTwoClasses()
        => Assert.Throws<ArgumentException>(() => ClassTask.Prepare(new IdxImages(1, 1, 1, [0]), [0], [3]));

    [Fact]
    public void Prepare_RejectsIdenticalClasses()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => ClassTask.Prepare(new IdxImages(1, 1, 1, [0]), [0], [4, 4]));

        Assert.Contains("must differ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RejectsLabelsThatDoNotPairWithImages()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => ClassTask.Prepare(new IdxImages(2, 1, 1, [0, 0]), [0], [0, 1]));

        Assert.Contains("2 images but 1 labels", ex.Message, StringComparison.Ordinal);
    }
}
