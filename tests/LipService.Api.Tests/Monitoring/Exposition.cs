using System.Globalization;
using System.Text.RegularExpressions;

namespace LipService.Api.Tests.Monitoring;

/// <summary>The samples of a Prometheus text exposition, enough to read counters, gauges and histogram series.</summary>
internal sealed partial class Exposition
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> samples = [];

    public Exposition(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var match = SampleLine().Match(line);
            if (!match.Success) throw new FormatException($"Not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            samples.Add((match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }
    }

    public string Text { get; }

    /// <summary>The samples of <paramref name="name"/> whose labels include every given pair.</summary>
    public IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string name, params (string Key, string Value)[] labels)
        => samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Select(s => ((IReadOnlyDictionary<string, string>)s.Labels, s.Value));

    /// <summary>The sum of the matching samples; 0 when none (a series not yet born counts nothing).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => Samples(name, labels).Sum(s => s.Value);

    /// <summary>The cumulative count of a histogram's bucket whose upper bound is <paramref name="bound"/>.</summary>
    public double Bucket(string histogram, double bound)
        => Samples(histogram + "_bucket").Single(s => s.Labels["le"] != "+Inf" && ParseValue(s.Labels["le"]) == bound).Value;

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
