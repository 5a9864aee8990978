using LipService.Training.Data;
using LipService.Training.Engine;
using LipService.Training.Specs;

namespace LipService.Api.Cli;

/// <summary>
/// <c>train [--epochs 10] [--seed 42] [--hidden 32,16] [--activation groupsort2] [--alpha 10]
/// [--min-margin 1] [--learning-rate 0.001] [--batch-size 128] [--device cpu|cuda|auto]
/// [--mnist DIR] [--download true] [--threads 1]</c>: the notebook in a terminal.
/// </summary>
public static class TrainCommand
{
    public static int Run(CliOptions options, TextWriter output)
    {
        TrainingSpec spec;
        try
        {
            spec = options.ToTrainingSpec();
        }
        catch (FormatException e)
        {
            output.WriteLine($"error: {e.Message}");
            return 2;
        }
        var errors = spec.Validate();
        if (errors.Count > 0)
        {
            foreach (var (field, messages) in errors) output.WriteLine($"error: --{field}: {string.Join(" ", messages)}");
            return 2;
        }

        TorchRuntime.ConfigureThreads(options.GetInt("threads", 1));
        var (train, test) = LoadTask(options.ToMnistOptions(), spec, output);
        if (train is null || test is null) return 1;
        PrintSplit("train", train, output);
        PrintSplit("test", test, output);

        int steps = (train.Count + spec.BatchSize - 1) / spec.BatchSize;
        using var result = new HkrTrainer().Train(spec, train, test, runId: "cli", progress: new ConsoleProgress(output, spec.Epochs, steps));
        var counts = result.Network.CountParameters();
        output.WriteLine();
        output.WriteLine($"Trainable params: {counts.Trainable:N0} - Non-trainable params: {counts.NonTrainable:N0}");
        output.WriteLine($"Lipschitz bound of the exported network (product of largest singular values): {result.LipschitzBound:F6}");
        output.WriteLine("certified accuracy on the test split (L2 radius |f(x)|/L > epsilon, pixels in [0,1]):");
        output.WriteLine("  epsilon  accuracy");
        foreach (var point in result.CertifiedAccuracy) output.WriteLine($"  {point.Epsilon,7:F2}  {point.Accuracy,8:F4}");
        return 0;
    }

    /// <summary>Loads and prepares the binary task, printing a clear message instead of a stack trace when MNIST is unusable.</summary>
    internal static (BinaryTaskData? Train, BinaryTaskData? Test) LoadTask(MnistOptions mnistOptions, TrainingSpec spec, TextWriter output)
    {
        try
        {
            var mnist = new MnistLoader(mnistOptions).Load();
            return BinaryTask.Prepare(mnist, spec.PositiveClass, spec.NegativeClass);
        }
        catch (Exception e) when (e is MnistUnavailableException or IdxFormatException)
        {
            output.WriteLine($"error: {e.Message}");
            return (null, null);
        }
    }

    private static void PrintSplit(string name, BinaryTaskData data, TextWriter output)
    {
        int positives = 0;
        foreach (float label in data.Labels) if (label > 0) positives++;
        output.WriteLine($"{name} set size: {data.Count} samples, classes proportions: {100.0 * positives / data.Count:F3} percent");
    }
}
