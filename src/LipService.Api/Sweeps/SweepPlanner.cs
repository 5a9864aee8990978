using System.Globalization;
using LipService.Api.Contracts;
using LipService.Training.Specs;

namespace LipService.Api.Sweeps;

/// <summary>
/// Expands a sweep request into one training spec per combination. Each list of the request is an
/// axis over the <see cref="JobSpecRequest"/> field of the same name (<see cref="SpecField"/>), so
/// every combination is read and validated exactly as a POST /jobs body would be.
/// </summary>
public static class SweepPlanner
{
    public const int MaxCombinations = 256;

    /// <summary>The axes in the request's order, which is the order they turn in (the last fastest).</summary>
    internal static IReadOnlyList<(SpecField Field, Func<SweepRequest, Array?> Values)> Axes { get; } =
    [
        Axis(nameof(SweepRequest.Loss), r => r.Loss),
        Axis(nameof(SweepRequest.Alpha), r => r.Alpha),
        Axis(nameof(SweepRequest.MinMargin), r => r.MinMargin),
        Axis(nameof(SweepRequest.Tau), r => r.Tau),
        Axis(nameof(SweepRequest.Channels), r => r.Channels),
        Axis(nameof(SweepRequest.Hidden), r => r.Hidden),
        Axis(nameof(SweepRequest.Activation), r => r.Activation),
        Axis(nameof(SweepRequest.LearningRate), r => r.LearningRate),
        Axis(nameof(SweepRequest.Seed), r => r.Seed),
    ];

    /// <summary>The specs, or the errors keyed by field (a list's index names the offending value).</summary>
    /// <param name="uploaded">The uploaded datasets the base may name, by id (see <see cref="JobSpecRequest.Resolve"/>).</param>
    public static (IReadOnlyList<TrainingSpec> Specs, Dictionary<string, string[]>? Errors) Expand(SweepRequest request, Func<int> randomSeed, IReadOnlyDictionary<string, Datasets.DatasetRecord>? uploaded = null)
    {
        var errors = new Dictionary<string, string[]>();
        var axes = new List<(SpecField Field, Array Values)>();
        foreach (var (field, list) in Axes)
        {
            if (list(request) is not { } values) continue;
            if (values.Length == 0) errors[field.Name] = [$"'{field.Name}' must list at least one value, or be left out."];
            else axes.Add((field, values));
        }
        if (errors.Count > 0) return ([], errors);

        // Saturates past the limit: a product of many long lists must not wrap around to a small count.
        long count = axes.Aggregate(1L, (product, axis) => Math.Min(product * axis.Values.Length, MaxCombinations + 1L));
        if (count > MaxCombinations)
        {
            double exact = axes.Aggregate(1.0, (product, axis) => product * axis.Values.Length);
            return ([], new() { ["body"] = [$"The sweep has {exact.ToString(exact < 1e15 ? "N0" : "E2", CultureInfo.InvariantCulture)} combinations; at most {MaxCombinations}."] });
        }

        // One seed for the whole sweep when none is given: combinations then differ only in what is swept.
        var baseRequest = request.Base ?? new JobSpecRequest();
        baseRequest = baseRequest with { Seed = baseRequest.Seed ?? randomSeed() };
        var specs = new List<TrainingSpec>((int)count);
        var choice = new int[axes.Count];
        for (long n = 0; n < count; n++)
        {
            var combination = baseRequest;
            for (int a = 0; a < axes.Count; a++) combination = axes[a].Field.With(combination, axes[a].Values.GetValue(choice[a]));
            var (spec, specErrors) = combination.Resolve(defaultSeed: baseRequest.Seed.Value, uploaded);
            if (specErrors.Count > 0)
            {
                foreach (var (field, messages) in specErrors)
                    errors[field] = [.. messages.Select(m => $"In combination {specs.Count + 1}: {m}")];
                return ([], errors);
            }
            specs.Add(spec);
            // Odometer order: the last axis turns fastest, as nested loops over the axes in order would.
            for (int a = axes.Count - 1; a >= 0 && ++choice[a] == axes[a].Values.Length; a--) choice[a] = 0;
        }
        return (specs, null);
    }

    /// <summary>The list of <see cref="SweepRequest"/> named <paramref name="name"/>, over the request field of that name.</summary>
    private static (SpecField, Func<SweepRequest, Array?>) Axis(string name, Func<SweepRequest, Array?> values) =>
        (SpecField.All.Single(f => f.Property.Name == name), values);
}
