using LipService.Training.Data;

namespace LipService.Training.Tests.Engine;

/// <summary>Real MNIST 0 (+1) vs 8 (−1), loaded once per test process.</summary>
internal static class NotebookTask
{
    private static readonly Lazy<(ClassTaskData Train, ClassTaskData Test)> Data = new(() =>
    {
        var mnist = new MnistLoader(new MnistOptions { Directory = WorkspaceData.MnistDirectory, Download = false }).Load();
        return ClassTask.Prepare(mnist, [0, 8]);
    });

    public static ClassTaskData Train => Data.Value.Train;

    public static ClassTaskData Test => Data.Value.Test;

    /// <summary>The first <paramref name="count"/> samples, for tests that need real digits but not a whole run.</summary>
    public static ClassTaskData Head(ClassTaskData data, int count)
        => data.Head(count);
}
