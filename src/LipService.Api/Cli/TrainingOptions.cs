using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LipService.Api.Contracts;
using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Api.Cli;

/// <summary>
/// The options of <c>train</c> and <c>bench</c>: one per field of <see cref="JobSpecRequest"/> (the
/// one declaration of the spec's fields, see <see cref="SpecField"/>), plus where MNIST is and how
/// many threads to use.
/// </summary>
internal sealed class TrainingOptions
{
    /// <summary>One option per spec field, built from <see cref="SpecField.All"/>; absent means the notebook's value.</summary>
    public IReadOnlyList<(SpecField Field, Option<string> Option)> SpecOptions { get; } = [.. SpecField.All.Select(field => (field, SpecOption(field)))];

    public Option<int> Threads { get; } = new("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 1, Validators = { AtLeastOne } };

    public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder of the four MNIST files, relative to the current folder.", HelpName = "DIR", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

    public Option<bool> Download { get; } = new("--download") { Description = "Download missing MNIST files.", DefaultValueFactory = _ => true };

    public Option<string> FashionMnist { get; } = new("--fashion-mnist") { Description = $"Folder of the four Fashion-MNIST files (never downloaded). Default: {FashionMnistOptions.DebianPackageDirectory}, where Debian's dataset-fashion-mnist puts them.", HelpName = "DIR" };

    public IEnumerable<Option> All => [.. SpecOptions.Select(o => o.Option), Threads, Mnist, Download, FashionMnist];

    /// <summary>
    /// The spec these options ask for, read exactly as a POST /jobs body with the same fields is
    /// (the seed defaults to the notebook's 42 here rather than a random one).
    /// </summary>
    public (TrainingSpec Spec, IReadOnlyDictionary<string, string[]> Errors) ToSpec(ParseResult parsed)
    {
        var request = new JobSpecRequest();
        foreach (var (field, option) in SpecOptions)
        {
            if (parsed.GetValue(option) is { } text && field.TryParse(text, out object? value, out _)) request = field.With(request, value);
        }
        return request.Resolve(defaultSeed: new TrainingSpec().Seed);
    }

    public FashionMnistOptions ToFashionMnistOptions(ParseResult parsed) => new()
    {
        Directory = parsed.GetValue(FashionMnist) is { } folder ? Path.GetFullPath(folder) : "",
    };

    public MnistOptions ToMnistOptions(ParseResult parsed) => new()
    {
        Directory = Path.GetFullPath(parsed.GetValue(Mnist) ?? Path.Combine("data", "mnist")),
        Download = parsed.GetValue(Download),
    };

    /// <summary>The option of a field named by <see cref="TrainingSpec.Validate()"/> (camelCase): batchSize → --batch-size.</summary>
    public static string OptionName(string field) => SpecField.Named(field)?.OptionName ?? "--" + field;

    /// <summary>A validator for counts, reported as a usage error (exit 2) like a value of the wrong type.</summary>
    public static void AtLeastOne(OptionResult result)
    {
        if (result.GetValueOrDefault<int>() < 1) result.AddError($"{result.Option.Name} must be at least 1 (got {result.GetValueOrDefault<int>()}).");
    }

    private static Option<string> SpecOption(SpecField field)
    {
        var option = new Option<string>(field.OptionName)
        {
            Description = $"{field.Description} Default: {field.DefaultText}.",
            HelpName = field.ValueType == typeof(int[]) ? field.DefaultText : field.Name,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!field.TryParse(token.Value, out _, out string expected))
                    result.AddError($"Cannot parse '{token.Value}' for option '{field.OptionName}': expected {expected}.");
            }
        });
        return option;
    }
}
