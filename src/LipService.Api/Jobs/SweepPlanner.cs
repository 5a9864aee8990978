using System.Globalization;
using LipService.Api.Contracts;
using LipService.Training.Specs;

namespace LipService.Api.Jobs;

/// <summary>
/// Expands a sweep request into one training spec per combination. Each list of the request is an
/// axis over the <see cref="JobSpecRequest"/> field of the same name (<see cref="SpecField"/>), so
/// every combination is read and validated exactly as a POST /jobs body would be.
/// </summary>
public static class SweepPlanner
{
    public const int MaxCombinations = 256;

    private static readonly IReadOnlyList<(System.Reflection.PropertyInfo List, SpecField Field)> Axes =
    [
        .. typeof(SweepRequest).GetProperties().Where(p => p.PropertyType.IsArray).OrderBy(p => p.MetadataToken)
            .Select(p => (p, SpecField.All.Single(f => f.Property.Name == p.Name))),
    ];

    /// <summary>The specs, or the errors keyed by field (a list's index names the offending value).</summary>
    public static (IReadOnlyList<TrainingSpec> Specs, Dictionary<string, string[]>? Errors) Expand(SweepRequest request, Func<int> randomSeed)
    {
        var errors = new Dictionary<string, string[]>();
        var axes = new List<(SpecField Field, Array Values)>();
        foreach (var (list, field) in Axes)
        {
            if (list.GetValue(request) is not Array values) continue;
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
            var combination = baseRequest with { };
            for (int a = 0; a < axes.Count; a++) axes[a].Field.Set(combination, axes[a].Values.GetValue(choice[a]));
            var (spec, specErrors) = combination.Resolve(defaultSeed: baseRequest.Seed.Value);
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
}
