using LipService.Training.Data;

namespace LipService.Training.Tests.Engine;

/// <summary>Real MNIST 0 (+1) vs 8 (−1), loaded once per test process.</summary>
internal static class NotebookTask
{
    private static readonly Lazy<(BinaryTaskData Train, BinaryTaskData Test)> Data = new(() =>
    {
        var mnist = new MnistLoader(new MnistOptions { Directory = WorkspaceData.MnistDirectory, Download = false }).Load();
        return BinaryTask.Prepare(mnist, 0, 8);
    });

    public static BinaryTaskData Train => Data.Value.Train;

    public static BinaryTaskData Test => Data.Value.Test;

    /// <summary>The first <paramref name="count"/> samples, for tests that need real digits but not a whole run.</summary>
    public static BinaryTaskData Head(BinaryTaskData data, int count)
        => new(data.Pixels[..(count * data.Features)], data.Labels[..count], data.Features, data.PositiveClass, data.NegativeClass);
}
