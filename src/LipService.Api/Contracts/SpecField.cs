using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>
/// One field of <see cref="JobSpecRequest"/>, the single declaration of what a user may set in a
/// training spec: its JSON name, its command-line option, its description and how to read it
/// from text. The shell commands and sweeps are built from <see cref="All"/>, so a field added to
/// the request appears everywhere, validated by <see cref="TrainingSpec.Validate"/> alone.
/// </summary>
public sealed class SpecField
{
    private static readonly TrainingSpec Defaults = new();

    private SpecField(PropertyInfo property)
    {
        Property = property;
        Name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
        OptionName = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property.Name);
        ValueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
    }

    /// <summary>Every field, in declaration order.</summary>
    public static IReadOnlyList<SpecField> All { get; } = [.. typeof(JobSpecRequest).GetProperties().OrderBy(p => p.MetadataToken).Select(p => new SpecField(p))];

    public PropertyInfo Property { get; }

    /// <summary>The JSON name, as <see cref="TrainingSpec.Validate"/> keys its errors.</summary>
    public string Name { get; }

    /// <summary>The option of the shell commands: batchSize → --batch-size.</summary>
    public string OptionName { get; }

    public Type ValueType { get; }

    public string Description { get; }

    /// <summary>The notebook's value, as text an option would take.</summary>
    public string DefaultText => Format(typeof(TrainingSpec).GetProperty(Property.Name)?.GetValue(Defaults));

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

    public void Set(JobSpecRequest request, object? value) => Property.SetValue(request, value);

    private static string Format(object? value) => value switch
    {
        null => "",
        IEnumerable<int> list => string.Join(',', list),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
