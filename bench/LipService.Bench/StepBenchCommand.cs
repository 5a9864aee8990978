using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using LipService.Api.Cli;
using LipService.Models.Networks;
using LipService.Training.Engine;
using LipService.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Bench;

/// <summary>
/// <c>bench-step</c> with the <see cref="TrainingOptions"/>: where a training step of the spec's network
/// goes, layer by layer, on random inputs of the data set's shape (no MNIST needed), printing the
/// Markdown of docs/benchmarks.md's profiles.
/// </summary>
/// <remarks>
/// Each layer is timed alone in training mode (its kernel assembled from its parameters, as a
/// training step does) on the activations the layers before it give, forward and backward with a
/// random upstream gradient. The first layer's input gradient is not computed, as in training.
/// The whole network's forward and backward is timed too; the loss and the optimizer, which act on
/// (batch, classes) scores and the parameters, are not in any row.
/// </remarks>
internal static class StepBenchCommand
{
    public static Option<int> Repeats { get; } = new("--repeats") { Description = "Timed repetitions per row, after two untimed ones.", DefaultValueFactory = _ => 10, Validators = { TrainingOptions.AtLeastOne } };

    public static int Run(ParseResult parsed, TrainingOptions options, TextWriter output, TextWriter error)
    {
        if (TrainCommand.ValidSpec(parsed, options, error) is not { } spec) return ExitCodes.BadCommandLine;
        int threads = parsed.GetValue(options.Threads);
        int repeats = parsed.GetValue(Repeats);
        TorchRuntime.ConfigureThreads(threads);
        var networkSpec = spec.ToNetworkSpec();
        using var network = new LipschitzNetwork(networkSpec, new Generator((ulong)spec.Seed));
        network.train();
        var generator = new Generator((ulong)spec.Seed);
        using var x = rand([spec.BatchSize, networkSpec.InputSize], generator: generator);

        output.WriteLine($"## Training step of `{SpecChoices.Architecture.NameOf(spec.Architecture)}` (channels [{string.Join(", ", spec.Channels)}], hidden [{string.Join(", ", spec.Hidden)}]), batch {spec.BatchSize}, {threads} intra-op thread(s), {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}");
        output.WriteLine();
        output.WriteLine("| layer | kind | input | ms forward + backward | share |");
        output.WriteLine("|---|---|---|---|---|");
        var rows = new List<(string Name, string Kind, string Shape, double Ms)>();
        var layers = network.children().Single().named_children().ToList();
        var activations = networkSpec.IsConvolutional
            ? x.reshape(spec.BatchSize, networkSpec.InputChannels, networkSpec.InputHeight, networkSpec.InputWidth).detach()
            : x.detach();
        for (int i = 0; i < layers.Count; i++)
        {
            var (name, module) = layers[i];
            var layer = (nn.Module<Tensor, Tensor>)module;
            var input = activations;
            Tensor next;
            using (no_grad()) next = layer.forward(input);
            using var upstream = randn(next.shape, generator: generator);
            bool inputGradient = i > 0;
            double ms = Time(repeats, () =>
            {
                var output = layer.forward(inputGradient ? input.detach().requires_grad_() : input);
                if (output.requires_grad) output.backward([upstream]);
            });
            rows.Add((name, module.GetType().Name, string.Join("×", input.shape), ms));
            if (i > 0) input.Dispose();
            activations = next;
        }
        activations.Dispose();
        double whole = Time(repeats, () =>
        {
            network.zero_grad();
            using var scores = network.forward(x);
            using var upstream = ones_like(scores);
            scores.backward([upstream]);
        });
        double sum = rows.Sum(r => r.Ms);
        foreach (var (name, kind, shape, ms) in rows)
            output.WriteLine($"| {name} | {kind} | {shape} | {ms:F2} | {ms / sum:P0} |");
        output.WriteLine($"| **sum of the rows** | | | {sum:F2} | |");
        output.WriteLine($"| **network forward + backward** | | | {whole:F2} | |");
        output.WriteLine();
        return ExitCodes.Success;
    }

    /// <summary>Mean milliseconds of <paramref name="step"/>, each run in its own dispose scope.</summary>
    private static double Time(int repeats, Action step)
    {
        for (int i = 0; i < 2; i++) Once(step);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) Once(step);
        return clock.Elapsed.TotalMilliseconds / repeats;
    }

    private static void Once(Action step)
    {
        using var scope = NewDisposeScope();
        step();
    }
}
