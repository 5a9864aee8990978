using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

public sealed class BinaryTaskTests
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

        var task = BinaryTask.Prepare(new IdxImages(labels.Length, 2, 2, pixels), labels, positiveClass: 3, negativeClass: 5);

        Assert.Equal(5, task.Count);
        Assert.Equal(4, task.Features);
        Assert.Equal(3, task.PositiveClass);
        Assert.Equal(5, task.NegativeClass);
        Assert.Equal([1f, -1f, 1f, -1f, 1f], task.Labels);
        int[] sources = [0, 1, 3, 4, 6];
        Assert.Equal(sources.SelectMany(i => Enumerable.Repeat(10 * i / 255f, 4)), task.Pixels);
    }

    [Fact]
    public void Prepare_MapsByteExtremesToExactlyZeroAndOne()
    {
        var task = BinaryTask.Prepare(new IdxImages(1, 1, 3, [0, 128, 255]), [2], positiveClass: 2, negativeClass: 9);

        Assert.Equal([0f, 128 / 255f, 1f], task.Pixels);
    }

    [Fact]
    public void Prepare_WithNeitherClassPresent_ReturnsAnEmptyTask()
    {
        var task = BinaryTask.Prepare(new IdxImages(2, 1, 1, [1, 2]), [4, 4], positiveClass: 0, negativeClass: 1);

        Assert.Equal(0, task.Count);
        Assert.Empty(task.Pixels);
    }

    [Theory]
    [InlineData(-1, 1, "positiveClass")]
    [InlineData(10, 1, "positiveClass")]
    [InlineData(0, 10, "negativeClass")]
    public void Prepare_RejectsClassesOutsideZeroToNine(int positive, int negative, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => BinaryTask.Prepare(new IdxImages(1, 1, 1, [0]), [0], positive, negative));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("digit from 0 to 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RejectsIdenticalClasses()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => BinaryTask.Prepare(new IdxImages(1, 1, 1, [0]), [0], 4, 4));

        Assert.Contains("must differ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RejectsLabelsThatDoNotPairWithImages()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => BinaryTask.Prepare(new IdxImages(2, 1, 1, [0, 0]), [0], 0, 1));

        Assert.Contains("2 images but 1 labels", ex.Message, StringComparison.Ordinal);
    }
}
