using System.Globalization;
using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Api.Cli;

/// <summary>
/// <c>--name value</c> options of the shell commands, read through the configuration
/// command-line provider so names match configuration keys.
/// </summary>
public sealed class CliOptions
{
    private readonly IConfiguration configuration;

    private CliOptions(IConfiguration configuration) => this.configuration = configuration;

    public static CliOptions Parse(string[] args)
        => new(new ConfigurationBuilder().AddCommandLine(args).Build());

    public string? Get(string name) => configuration[name];

    public int GetInt(string name, int fallback) => configuration[name] is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double GetDouble(string name, double fallback) => configuration[name] is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool GetBool(string name, bool fallback) => configuration[name] is { } v ? bool.Parse(v) : fallback;

    /// <summary>A training spec: the notebook's defaults overridden by any option given.</summary>
    public TrainingSpec ToTrainingSpec()
    {
        var d = new TrainingSpec();
        return d with
        {
            PositiveClass = GetInt("positive-class", d.PositiveClass),
            NegativeClass = GetInt("negative-class", d.NegativeClass),
            Hidden = Get("hidden") is { } h ? [.. h.Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : d.Hidden,
            Activation = Get("activation") ?? d.Activation,
            Alpha = GetDouble("alpha", d.Alpha),
            MinMargin = GetDouble("min-margin", d.MinMargin),
            LearningRate = GetDouble("learning-rate", d.LearningRate),
            Epochs = GetInt("epochs", d.Epochs),
            BatchSize = GetInt("batch-size", d.BatchSize),
            Seed = GetInt("seed", d.Seed),
            Device = Get("device") ?? d.Device,
            Normalization = Get("normalization") ?? d.Normalization,
        };
    }

    /// <summary>Where MNIST is read from (<c>--mnist</c>, default ./data/mnist) and whether it may be downloaded.</summary>
    public MnistOptions ToMnistOptions() => new()
    {
        Directory = Path.GetFullPath(Get("mnist") ?? Path.Combine("data", "mnist")),
        Download = GetBool("download", true),
    };
}
