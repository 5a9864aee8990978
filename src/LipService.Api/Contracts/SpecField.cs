using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>
/// One field of <see cref="JobSpecRequest"/>, the single declaration of what a user may set in a
/// training spec: its JSON name, its command-line option, its description, how to read it from
/// text and how to set it on a request. The shell commands and sweeps are built from
/// <see cref="All"/>, so a field added to the request and listed here appears everywhere,
/// validated by <see cref="JobSpecRequest.Resolve"/> alone.
/// </summary>
public sealed class SpecField
{
    private readonly Func<JobSpecRequest, object?, JobSpecRequest> with;
    private readonly Func<TrainingSpec, string> defaultText;

    private SpecField(string propertyName, Type valueType, Func<JobSpecRequest, object?, JobSpecRequest> with, Func<TrainingSpec, string> defaultText)
    {
        // The property is read for its name and description (the OpenAPI document's too); it is never set by reflection.
        Property = typeof(JobSpecRequest).GetProperty(propertyName) ?? throw new ArgumentException($"JobSpecRequest has no property {propertyName}.", nameof(propertyName));
        Name = JsonNamingPolicy.CamelCase.ConvertName(propertyName);
        OptionName = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(propertyName);
        ValueType = valueType;
        Description = Property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
        this.with = with;
        this.defaultText = defaultText;
    }

    /// <summary>Every field, in the request's order (the order of <c>--help</c>).</summary>
    public static IReadOnlyList<SpecField> All { get; } =
    [
        Of<string>(nameof(JobSpecRequest.Preset), (r, v) => r with { Preset = v }, d => d.Preset),
        Of<string>(nameof(JobSpecRequest.Dataset), (r, v) => r with { Dataset = v }, d => SpecChoices.Dataset.NameOf(d.Dataset)),
        Of<int[]>(nameof(JobSpecRequest.Classes), (r, v) => r with { Classes = v }, d => List(d.Classes)),
        Of<int>(nameof(JobSpecRequest.PositiveClass), (r, v) => r with { PositiveClass = v }, d => Number(d.PositiveClass)),
        Of<int>(nameof(JobSpecRequest.NegativeClass), (r, v) => r with { NegativeClass = v }, d => Number(d.NegativeClass)),
        Of<string>(nameof(JobSpecRequest.Architecture), (r, v) => r with { Architecture = v }, d => SpecChoices.Architecture.NameOf(d.Architecture)),
        Of<int[]>(nameof(JobSpecRequest.Channels), (r, v) => r with { Channels = v }, d => List(d.Channels)),
        Of<int[]>(nameof(JobSpecRequest.Hidden), (r, v) => r with { Hidden = v }, d => List(d.Hidden)),
        Of<string>(nameof(JobSpecRequest.Activation), (r, v) => r with { Activation = v }, d => SpecChoices.Activation.NameOf(d.Activation)),
        Of<string>(nameof(JobSpecRequest.Loss), (r, v) => r with { Loss = v }, d => SpecChoices.Loss.NameOf(d.Loss)),
        Of<double>(nameof(JobSpecRequest.Alpha), (r, v) => r with { Alpha = v }, d => Number(d.Alpha)),
        Of<double>(nameof(JobSpecRequest.MinMargin), (r, v) => r with { MinMargin = v }, d => Number(d.MinMargin)),
        Of<double>(nameof(JobSpecRequest.Tau), (r, v) => r with { Tau = v }, d => Number(d.Tau)),
        Of<double>(nameof(JobSpecRequest.LearningRate), (r, v) => r with { LearningRate = v }, d => Number(d.LearningRate)),
        Of<string>(nameof(JobSpecRequest.LearningRateSchedule), (r, v) => r with { LearningRateSchedule = v }, d => SpecChoices.LearningRateSchedule.NameOf(d.LearningRateSchedule)),
        Of<int>(nameof(JobSpecRequest.Epochs), (r, v) => r with { Epochs = v }, d => Number(d.Epochs)),
        Of<int>(nameof(JobSpecRequest.BatchSize), (r, v) => r with { BatchSize = v }, d => Number(d.BatchSize)),
        Of<int>(nameof(JobSpecRequest.Seed), (r, v) => r with { Seed = v }, d => Number(d.Seed)),
        Of<string>(nameof(JobSpecRequest.Device), (r, v) => r with { Device = v }, d => SpecChoices.Device.NameOf(d.Device)),
        Of<string>(nameof(JobSpecRequest.Normalization), (r, v) => r with { Normalization = v }, d => SpecChoices.Normalization.NameOf(d.Normalization)),
    ];

    /// <summary>The request property this field is (read for its name and description only).</summary>
    public PropertyInfo Property { get; }

    /// <summary>The JSON name, as <see cref="TrainingSpec.Validate()"/> keys its errors.</summary>
    public string Name { get; }

    /// <summary>The option of the shell commands: batchSize → --batch-size.</summary>
    public string OptionName { get; }

    /// <summary>string, int, double or int[]: the type an option's text is read as.</summary>
    public Type ValueType { get; }

    public string Description { get; }

    /// <summary>The notebook's value, as text an option would take.</summary>
    public string DefaultText => defaultText(new TrainingSpec());

    /// <summary>The field a validation error names, or null.</summary>
    public static SpecField? Named(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>Reads an option's text as the field's type; lists of widths are comma-separated.</summary>
    public bool TryParse(string text, out object? value, out string expected)
    {
        value = null;
        expected = "";
        switch (ValueType)
        {
            case var t when t == typeof(int):
                expected = "an integer";
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int integer)) return false;
                value = integer;
                return true;
            case var t when t == typeof(double):
                expected = "a number";
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return false;
                value = number;
                return true;
            case var t when t == typeof(int[]):
                expected = "comma-separated integers such as 32,16";
                var items = new List<int>();
                foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int item)) return false;
                    items.Add(item);
                }
                value = items.ToArray();
                return true;
            case var t when t == typeof(string):
                value = text;
                return true;
            default:
                throw new NotSupportedException($"Spec field {Name} has type {ValueType.Name}, which SpecField cannot read from text.");
        }
    }

    /// <summary>A copy of <paramref name="request"/> with this field set to <paramref name="value"/>, of <see cref="ValueType"/>.</summary>
    public JobSpecRequest With(JobSpecRequest request, object? value) => with(request, value);

    private static SpecField Of<T>(string propertyName, Func<JobSpecRequest, T, JobSpecRequest> with, Func<TrainingSpec, string> defaultText) =>
        new(propertyName, typeof(T), (request, value) => with(request, (T)value!), defaultText);

    private static string Number<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string List(IEnumerable<int> values) => string.Join(',', values);
}
