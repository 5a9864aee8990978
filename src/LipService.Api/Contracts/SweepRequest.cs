using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>
/// A grid of trainings: one job per combination of the listed values, every other field from
/// <see cref="Base"/> (itself defaulting to the notebook). At most 256 combinations.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SweepRequest
{
    /// <summary>The fields shared by every job.</summary>
    public JobSpecRequest? Base { get; init; }

    /// <example>["hkr", "pairwise-hinge", "offset-cce"]</example>
    public string[]? Loss { get; init; }

    /// <example>[1, 10, 100]</example>
    public double[]? Alpha { get; init; }

    /// <example>[0.5, 1]</example>
    public double[]? MinMargin { get; init; }

    /// <example>[3, 10, 30]</example>
    public double[]? Tau { get; init; }

    /// <example>[[16, 32], [32, 64]]</example>
    public int[][]? Channels { get; init; }

    /// <example>[[32, 16], [64, 32]]</example>
    public int[][]? Hidden { get; init; }

    /// <example>["groupsort2", "relu"]</example>
    public string[]? Activation { get; init; }

    /// <example>[0.001]</example>
    public double[]? LearningRate { get; init; }

    /// <example>[1, 2]</example>
    public int[]? Seed { get; init; }
}
