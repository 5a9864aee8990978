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
        var (train, test) = LoadTask(options.ToMnistOptions(parsed), options.ToFashionMnistOptions(parsed), spec, error);
        if (train is null || test is null) return ExitCodes.Failure;
        PrintSplit("train", train, output);
        PrintSplit("test", test, output);

        int steps = (train.Count + spec.BatchSize - 1) / spec.BatchSize;
        using var result = new LipschitzTrainer().Train(spec, train, test, progress: new ConsoleProgress(output, spec.Epochs, steps, spec.IsBinary));
        var counts = result.Network.CountParameters();
        output.WriteLine();
        output.WriteLine($"Trainable params: {counts.Trainable:N0} - Non-trainable params: {counts.NonTrainable:N0}");
        output.WriteLine($"Lipschitz bound of the exported network (product of the layers' proven bounds): {result.LipschitzBound:F6}");
        output.WriteLine($"Largest Jacobian norm on test samples (a lower bound): {result.LipschitzLowerBound:F6}");
        output.WriteLine("Gradient norm each layer passes back, as a share of its proven bound (mean, min over test samples):");
        foreach (var gain in result.LayerGains) output.WriteLine($"  {gain.Layer,-8} {gain.Mean,7:F4} {gain.Min,7:F4}  (bound {gain.Bound:F6})");
        output.WriteLine(spec.IsBinary
            ? "certified accuracy on the test split (L2 radius |f(x)|/L > epsilon, pixels in [0,1]):"
            : $"certified accuracy on the test split (L2 radius (top1 - top2)/({(result.Exported.Spec.Coupling == Models.Certificates.OutputCoupling.Joint ? "sqrt(2)" : "2")}*L) > epsilon, pixels in [0,1]):");
        output.WriteLine("  epsilon  accuracy");
        foreach (var point in result.CertifiedAccuracy) output.WriteLine($"  {point.Epsilon,7:F2}  {point.Accuracy,8:F4}");
        return ExitCodes.Success;
    }

    /// <summary>The spec of the options, or null after naming each invalid option on <paramref name="error"/>.</summary>
    internal static TrainingSpec? ValidSpec(ParseResult parsed, TrainingOptions options, TextWriter error)
    {
        var (spec, errors) = options.ToSpec(parsed);
        foreach (var (field, messages) in errors) error.WriteLine($"error: {TrainingOptions.OptionName(field)}: {string.Join(" ", messages)}");
        return errors.Count == 0 ? spec : null;
    }

    /// <summary>Loads and prepares the spec's task, printing a clear message instead of a stack trace when the data set is unusable.</summary>
    internal static (ClassTaskData? Train, ClassTaskData? Test) LoadTask(MnistOptions mnistOptions, FashionMnistOptions fashionOptions, TrainingSpec spec, TextWriter error)
    {
        try
        {
            var dataset = spec.IsFashionMnist ? new FashionMnistLoader(fashionOptions).Load() : new MnistLoader(mnistOptions).Load();
            return ClassTask.Prepare(dataset, spec.Classes);
        }
        catch (Exception e) when (e is MnistUnavailableException or IdxFormatException)
        {
            error.WriteLine($"error: {e.Message}");
            return (null, null);
        }
    }

    private static void PrintSplit(string name, ClassTaskData data, TextWriter output)
    {
        var counts = new int[data.Classes.Count];
        foreach (long index in data.ClassIndices) counts[index]++;
        string proportions = data.Classes.Count == 2
            ? $"{100.0 * counts[0] / data.Count:F3} percent"
            : string.Join(", ", data.Classes.Select((label, i) => $"{label}: {100.0 * counts[i] / data.Count:F1}%"));
        output.WriteLine($"{name} set size: {data.Count} samples, classes proportions: {proportions}");
    }
}
