using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Api.Cli;

/// <summary>
/// The options of <c>train</c> and <c>bench</c>: one per <see cref="TrainingSpec"/> field (defaults
/// from the spec itself, so the notebook's values live in one place) plus where MNIST is and how many
/// threads to use. Kept apart from the commands so the spec fields can later be declared once.
/// </summary>
internal sealed class TrainingOptions
{
    private static readonly TrainingSpec Defaults = new();

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Epochs to train.", DefaultValueFactory = _ => Defaults.Epochs };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => Defaults.BatchSize };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of initialisation and shuffling.", DefaultValueFactory = _ => Defaults.Seed };

    public Option<int[]> Hidden { get; } = new("--hidden")
    {
        Description = "Widths of the hidden SpectralDense layers, comma-separated.",
        HelpName = "32,16",
        DefaultValueFactory = _ => [.. Defaults.Hidden],
        CustomParser = ParseWidths,
    };

    public Option<string> Activation { get; } = new("--activation") { Description = "groupsort2, groupsort<n>, fullsort or relu.", DefaultValueFactory = _ => Defaults.Activation };

    public Option<double> Alpha { get; } = new("--alpha") { Description = "Weight of the hinge term of HKR.", DefaultValueFactory = _ => Defaults.Alpha };

    public Option<double> MinMargin { get; } = new("--min-margin") { Description = "Margin of the hinge term.", DefaultValueFactory = _ => Defaults.MinMargin };

    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "Adam's learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };

    public Option<int> PositiveClass { get; } = new("--positive-class") { Description = "Digit labelled +1.", DefaultValueFactory = _ => Defaults.PositiveClass };

    public Option<int> NegativeClass { get; } = new("--negative-class") { Description = "Digit labelled -1.", DefaultValueFactory = _ => Defaults.NegativeClass };

    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => Defaults.Device };

    public Option<string> Normalization { get; } = new("--normalization") { Description = "default (deel-lip >= 1.4) or deel2021 (the notebook's).", DefaultValueFactory = _ => Defaults.Normalization };

    public Option<int> Threads { get; } = new("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 1, Validators = { AtLeastOne } };

    public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder of the four MNIST files, relative to the current folder.", HelpName = "DIR", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

    public Option<bool> Download { get; } = new("--download") { Description = "Download missing MNIST files.", DefaultValueFactory = _ => true };

    public IEnumerable<Option> All => [Epochs, BatchSize, Seed, Hidden, Activation, Alpha, MinMargin, LearningRate, PositiveClass, NegativeClass, Device, Normalization, Threads, Mnist, Download];

    public TrainingSpec ToSpec(ParseResult parsed) => Defaults with
    {
        Epochs = parsed.GetValue(Epochs),
        BatchSize = parsed.GetValue(BatchSize),
        Seed = parsed.GetValue(Seed),
        Hidden = parsed.GetValue(Hidden) ?? [],
        Activation = parsed.GetValue(Activation) ?? Defaults.Activation,
        Alpha = parsed.GetValue(Alpha),
        MinMargin = parsed.GetValue(MinMargin),
        LearningRate = parsed.GetValue(LearningRate),
        PositiveClass = parsed.GetValue(PositiveClass),
        NegativeClass = parsed.GetValue(NegativeClass),
        Device = parsed.GetValue(Device) ?? Defaults.Device,
        Normalization = parsed.GetValue(Normalization) ?? Defaults.Normalization,
    };

    public MnistOptions ToMnistOptions(ParseResult parsed) => new()
    {
        Directory = Path.GetFullPath(parsed.GetValue(Mnist) ?? Path.Combine("data", "mnist")),
        Download = parsed.GetValue(Download),
    };

    /// <summary>The option of a field named by <see cref="TrainingSpec.Validate"/> (camelCase): batchSize → --batch-size.</summary>
    public static string OptionName(string field)
        => "--" + string.Concat(field.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>A validator for counts, reported as a usage error (exit 2) like a value of the wrong type.</summary>
    public static void AtLeastOne(OptionResult result)
    {
        if (result.GetValueOrDefault<int>() < 1) result.AddError($"{result.Option.Name} must be at least 1 (got {result.GetValueOrDefault<int>()}).");
    }

    private static int[] ParseWidths(ArgumentResult result)
    {
        var widths = new List<int>();
        foreach (var token in result.Tokens)
        {
            foreach (string part in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int width)) widths.Add(width);
                else result.AddError($"Cannot parse '{token.Value}' for option '--hidden': expected comma-separated layer widths such as 32,16.");
            }
        }
        return [.. widths];
    }
}
