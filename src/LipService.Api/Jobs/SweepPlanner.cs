using LipService.Api.Contracts;
using LipService.Training.Specs;

namespace LipService.Api.Jobs;

/// <summary>Expands a sweep request into one training spec per combination.</summary>
public static class SweepPlanner
{
    public const int MaxCombinations = 256;

    /// <summary>The specs, or the errors keyed by field (a list's index names the offending value).</summary>
    public static (IReadOnlyList<TrainingSpec> Specs, Dictionary<string, string[]>? Errors) Expand(SweepRequest request, Func<int> randomSeed)
    {
        var errors = new Dictionary<string, string[]>();
        void CheckList<T>(string name, T[]? values)
        {
            if (values is { Length: 0 }) errors[name] = [$"'{name}' must list at least one value, or be left out."];
        }
        CheckList("alpha", request.Alpha);
        CheckList("minMargin", request.MinMargin);
        CheckList("hidden", request.Hidden);
        CheckList("activation", request.Activation);
        CheckList("learningRate", request.LearningRate);
        CheckList("seed", request.Seed);
        if (errors.Count > 0) return ([], errors);

        long count = Length(request.Alpha) * Length(request.MinMargin) * Length(request.Hidden) * Length(request.Activation) * Length(request.LearningRate) * Length(request.Seed);
        if (count > MaxCombinations) return ([], new() { ["body"] = [$"The sweep has {count} combinations; at most {MaxCombinations}."] });

        // One seed for the whole sweep when none is given: combinations then differ only in what is swept.
        var baseSpec = (request.Base ?? new JobSpecRequest()).ToTrainingSpec(randomSeed());
        var specs = new List<TrainingSpec>();
        foreach (double alpha in request.Alpha ?? [baseSpec.Alpha])
        foreach (double margin in request.MinMargin ?? [baseSpec.MinMargin])
        foreach (int[] hidden in request.Hidden ?? [[.. baseSpec.Hidden]])
        foreach (string activation in request.Activation ?? [baseSpec.Activation])
        foreach (double rate in request.LearningRate ?? [baseSpec.LearningRate])
        foreach (int seed in request.Seed ?? [baseSpec.Seed])
        {
            var spec = baseSpec with { Alpha = alpha, MinMargin = margin, Hidden = hidden, Activation = activation, LearningRate = rate, Seed = seed };
            var specErrors = spec.Validate();
            if (specErrors.Count > 0)
            {
                foreach (var (field, messages) in specErrors)
                    errors[field] = [.. messages.Select(m => $"In combination {specs.Count + 1}: {m}")];
                return ([], errors);
            }
            specs.Add(spec);
        }
        return (specs, null);
    }

    private static long Length<T>(T[]? values) => values?.Length ?? 1;
}
