using System.CommandLine;
using LipService.Training.Data;
using LipService.Training.Engine;
using LipService.Training.Specs;

namespace LipService.Api.Cli;

/// <summary><c>train</c> with the <see cref="TrainingOptions"/>: the notebook in a terminal.</summary>
internal static class TrainCommand
{
    public static int Run(ParseResult parsed, TrainingOptions options, TextWriter output, TextWriter error)
    {
        if (ValidSpec(parsed, options, error) is not { } spec) return ExitCodes.BadCommandLine;

        TorchRuntime.ConfigureThreads(parsed.GetValue(options.Threads));
        var (train, test) = LoadTask(options.ToMnistOptions(parsed), spec, error);
        if (train is null || test is null) return ExitCodes.Failure;
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
        return ExitCodes.Success;
    }

    /// <summary>The spec of the options, or null after naming each invalid option on <paramref name="error"/>.</summary>
    internal static TrainingSpec? ValidSpec(ParseResult parsed, TrainingOptions options, TextWriter error)
    {
        var spec = options.ToSpec(parsed);
        var errors = spec.Validate();
        foreach (var (field, messages) in errors) error.WriteLine($"error: {TrainingOptions.OptionName(field)}: {string.Join(" ", messages)}");
        return errors.Count == 0 ? spec : null;
    }

    /// <summary>Loads and prepares the binary task, printing a clear message instead of a stack trace when MNIST is unusable.</summary>
    internal static (BinaryTaskData? Train, BinaryTaskData? Test) LoadTask(MnistOptions mnistOptions, TrainingSpec spec, TextWriter error)
    {
        try
        {
            var mnist = new MnistLoader(mnistOptions).Load();
            return BinaryTask.Prepare(mnist, spec.PositiveClass, spec.NegativeClass);
        }
        catch (Exception e) when (e is MnistUnavailableException or IdxFormatException)
        {
            error.WriteLine($"error: {e.Message}");
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
