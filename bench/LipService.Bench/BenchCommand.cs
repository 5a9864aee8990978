using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using LipService.Api.Cli;
using LipService.Models.Export;
using LipService.Training.Data;
using LipService.Training.Engine;
using LipService.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Bench;

/// <summary>
/// <c>bench</c> with the <see cref="TrainingOptions"/> and <c>--runs</c>: trains the notebook's model and
/// measures prediction throughput in-process, printing Markdown for docs/benchmarks.md.
/// </summary>
internal static class BenchCommand
{
    public static Option<int> Runs { get; } = new("--runs") { Description = "Training runs (seeds seed, seed+1, ...).", DefaultValueFactory = _ => 3, Validators = { TrainingOptions.AtLeastOne } };

    public static int Run(ParseResult parsed, TrainingOptions options, TextWriter output, TextWriter error)
    {
        int runs = parsed.GetValue(Runs);
        if (TrainCommand.ValidSpec(parsed, options, error) is not { } validSpec) return ExitCodes.BadCommandLine;
        if (!validSpec.IsBinary || validSpec.Channels.Count > 0)
        {
            // Its gradient-norm column and managed scorer are those of a one-output dense model.
            error.WriteLine("error: bench measures binary dense models (the notebook's kind); time multiclass or conv models with train, whose epoch lines give seconds per epoch.");
            return ExitCodes.BadCommandLine;
        }
        int threads = parsed.GetValue(options.Threads);
        TorchRuntime.ConfigureThreads(threads);
        var spec = validSpec with { Device = DeviceKind.Cpu };
        var (train, test) = TrainCommand.LoadTask(options.ToMnistOptions(parsed), options.ToFashionMnistOptions(parsed), spec, error);
        if (train is null || test is null) return ExitCodes.Failure;

        output.WriteLine($"## Notebook training ({spec.Epochs} epochs, batch {spec.BatchSize}, {threads} intra-op thread(s), {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription})");
        output.WriteLine();
        // "epochs s" is what deel-torchlip's total_train_s counts (each epoch's training and validation);
        // "wall s" adds building the network, certifying and the Jacobian lower bound.
        output.WriteLine("| run | seed | epochs s | s/epoch (mean) | s/epoch (epochs 2+) | samples/s | val acc | val KR | L | cert 0.5 | cert 1.0 | cert 2.0 | ‖∇f‖/L range | wall s |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        ExportedNetwork? last = null;
        for (int run = 1; run <= runs; run++)
        {
            var runSpec = spec with { Seed = spec.Seed + run - 1 };
            var clock = Stopwatch.StartNew();
            using var result = new LipschitzTrainer().Train(runSpec, train, test);
            double wall = clock.Elapsed.TotalSeconds;
            var h = result.History;
            double total = h.Sum(m => m.Seconds);
            double later = h.Count > 1 ? h.Skip(1).Average(m => m.Seconds) : h[0].Seconds;
            var (minGrad, maxGrad) = GradientNormRange(result.Exported, test.Pixels, test.Count);
            var cert = result.CertifiedAccuracy.ToDictionary(p => p.Epsilon, p => p.Accuracy);
            output.WriteLine($"| {run} | {runSpec.Seed} | {total:F2} | {total / h.Count:F3} | {later:F3} | {train.Count * (double)h.Count / total:F0} | {result.FinalMetrics.ValAccuracy:F4} | {result.FinalMetrics.ValKr:F3} | {result.LipschitzBound:F6} | {cert[0.5]:F4} | {cert[1.0]:F4} | {cert[2.0]:F4} | [{minGrad:F7}, {maxGrad:F7}] | {wall:F2} |");
            last?.Dispose();
            last = ExportedNetwork.Deserialize(result.Exported.Spec, result.Exported.Serialize());
        }
        output.WriteLine();
        output.WriteLine($"Peak resident memory of the process (VmHWM): {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
        output.WriteLine();

        output.WriteLine("## In-process prediction (exported network, from float[] pixels to float[] scores)");
        output.WriteLine();
        output.WriteLine("| path | batch | calls | seconds | digits/s | µs/call |");
        output.WriteLine("|---|---|---|---|---|---|");
        var scorer = ManagedScorer.TryCreate(last!)!;
        foreach (var (path, batch, calls) in new[] { ("libtorch", 1, 50_000), ("managed SIMD", 1, 200_000), ("libtorch", test.Count, 300), ("managed SIMD", test.Count, 100) })
        {
            var pixels = test.Pixels[..(batch * test.Features)];
            Action<int> predict = path == "libtorch" ? n => Predict(last!, pixels, batch, n) : n => Score(scorer, pixels, batch, n);
            predict(100); // warm-up
            var clock = Stopwatch.StartNew();
            predict(calls);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"| {path} | {batch} | {calls} | {seconds:F2} | {batch * (double)calls / seconds:F0} | {seconds * 1e6 / calls:F1} |");
        }
        last?.Dispose();
        return ExitCodes.Success;
    }

    private static void Predict(ExportedNetwork network, float[] pixels, int batch, int calls)
    {
        var scores = new float[batch];
        for (int i = 0; i < calls; i++)
        {
            using var scope = NewDisposeScope();
            using var _ = inference_mode();
            // from_array pins the managed array instead of copying it (torch.tensor copies, ~8 ms at batch 1,954).
            var x = from_array(pixels).reshape(batch, MnistFile.PixelsPerImage);
            network.forward(x).data<float>().CopyTo(scores);
        }
    }

    private static void Score(ManagedScorer scorer, float[] pixels, int batch, int calls)
    {
        var scores = new float[batch];
        for (int i = 0; i < calls; i++) scorer.Score(pixels, scores);
    }

    private static (double Min, double Max) GradientNormRange(ExportedNetwork network, float[] pixels, int count)
    {
        using var scope = NewDisposeScope();
        var x = tensor(pixels, [count, MnistFile.PixelsPerImage]).requires_grad_();
        network.forward(x).sum().backward();
        using var bound = network.LipschitzBound.ToScalar();
        var norms = x.grad!.norm(1).div(bound);
        return (norms.min().item<float>(), norms.max().item<float>());
    }
}
