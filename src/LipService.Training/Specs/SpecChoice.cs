namespace LipService.Training.Specs;

/// <summary>
/// One choice field of the training spec: the names its values have on the wire, on the command
/// line and in the store, and the message a name it does not know gets. Names are read ignoring
/// case and surrounding white space, as specs written before the typed spec were.
/// </summary>
public sealed class SpecChoice<T> where T : struct
{
    public delegate bool Reader(string text, out T value);

    private readonly Reader read;
    private readonly Func<T, string> nameOf;
    private readonly Func<string, string> unknown;

    public SpecChoice(string field, IReadOnlyList<string> names, Reader read, Func<T, string> nameOf, Func<string, string> unknown)
    {
        Field = field;
        Names = names;
        this.read = read;
        this.nameOf = nameOf;
        this.unknown = unknown;
    }

    /// <summary>A choice whose every value has one fixed name.</summary>
    public static SpecChoice<T> Table(string field, IReadOnlyList<(T Value, string Name)> table, Func<string, string> unknown) => new(
        field,
        [.. table.Select(entry => entry.Name)],
        (string text, out T value) =>
        {
            foreach (var (candidate, name) in table)
            {
                if (string.Equals(text.Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate;
                    return true;
                }
            }
            value = default;
            return false;
        },
        value => table.Single(entry => EqualityComparer<T>.Default.Equals(entry.Value, value)).Name,
        unknown);

    /// <summary>The spec field's JSON name, which keys its validation error.</summary>
    public string Field { get; }

    /// <summary>The names to offer, in the order a form lists them.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool TryRead(string? text, out T value)
    {
        value = default;
        return text is not null && read(text, out value);
    }

    /// <summary>Reads a name that was valid when it was written (a stored spec); throws <see cref="FormatException"/> otherwise.</summary>
    public T Read(string text) => TryRead(text, out var value) ? value : throw new FormatException(Unknown(text));

    /// <summary>The one name of <paramref name="value"/>, as responses and the store write it.</summary>
    public string NameOf(T value) => nameOf(value);

    /// <summary>The error for a name that is none of <see cref="Names"/>, quoting it as given.</summary>
    public string Unknown(string text) => unknown(text);
}
