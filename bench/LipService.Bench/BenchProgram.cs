using System.CommandLine;
using LipService.Api.Cli;

namespace LipService.Bench;

/// <summary>
/// <c>bench</c> (the notebook's training and in-process prediction, with the <c>train</c> command's
/// options), <c>bench-cache</c> (model loads and evictions through the serving cache) and
/// <c>bench-step</c> (a training step's time layer by layer), each printing the Markdown kept in
/// docs/benchmarks.md.
/// </summary>
public static class BenchProgram
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var training = new TrainingOptions();
        Command bench = new("bench", "Train and measure prediction speed, printing the Markdown of docs/benchmarks.md.");
        foreach (var option in training.All) bench.Options.Add(option);
        bench.Options.Add(BenchCommand.Runs);
        bench.SetAction(parsed => BenchCommand.Run(parsed, training, output, error));

        Command benchCache = new("bench-cache", "Load and evict models through the serving cache (no MNIST needed), printing memory over the run as Markdown for docs/benchmarks.md.");
        foreach (var option in CacheBenchCommand.All) benchCache.Options.Add(option);
        benchCache.SetAction(parsed => CacheBenchCommand.Run(parsed, output, error));

        Command benchStep = new("bench-step", "Time a training step of the spec's network layer by layer on random inputs (no MNIST needed), printing Markdown for docs/benchmarks.md.");
        foreach (var option in training.All) benchStep.Options.Add(option);
        benchStep.Options.Add(StepBenchCommand.Repeats);
        benchStep.SetAction(parsed => StepBenchCommand.Run(parsed, training, output, error));

        RootCommand root = new("LipService's benchmark harnesses; the service itself is LipService.Api.") { bench, benchCache, benchStep };
        var parsed = root.Parse(args);
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}
