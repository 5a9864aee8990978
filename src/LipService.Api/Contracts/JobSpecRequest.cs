using System.ComponentModel;
using System.Text.Json.Serialization;
using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>
/// A training spec as posted to <c>POST /jobs</c>. Every field is optional and defaults to the
/// notebook's value, so <c>{}</c> trains the notebook's model. Unknown fields are rejected, so a
/// typo cannot silently fall back to a default.
/// </summary>
/// <remarks>
/// The one list of the spec fields a user sets: the <c>train</c> and <c>bench</c> options and the
/// sweep axes are derived from these properties (see <see cref="SpecField"/>), and their
/// descriptions serve the OpenAPI document and <c>--help</c> alike.
/// </remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JobSpecRequest
{
    /// <example>mnist</example>
    [Description("Only \"mnist\".")]
    public string? Dataset { get; init; }

    /// <example>0</example>
    [Description("Digit labelled +1 (0-9).")]
    public int? PositiveClass { get; init; }

    /// <example>8</example>
    [Description("Digit labelled −1 (0-9, not the positive class).")]
    public int? NegativeClass { get; init; }

    /// <example>[32, 16]</example>
    [Description("Widths of the SpectralDense layers: 1 to 8 layers of 1-4096 units (even for groupsort2).")]
    public int[]? Hidden { get; init; }

    /// <example>groupsort2</example>
    [Description("groupsort2, groupsort<n>, fullsort or relu (1-Lipschitz but not gradient-norm preserving).")]
    public string? Activation { get; init; }

    /// <example>10</example>
    [Description("Weight of the hinge term in HKR = α·hinge − KR; ≥ 0.")]
    public double? Alpha { get; init; }

    /// <example>1</example>
    [Description("Hinge margin m > 0.")]
    public double? MinMargin { get; init; }

    /// <example>0.001</example>
    [Description("Adam's learning rate, in (0, 1].")]
    public double? LearningRate { get; init; }

    /// <example>10</example>
    [Description("Passes over the training split, 1-1000.")]
    public int? Epochs { get; init; }

    /// <example>128</example>
    [Description("Samples per Adam step, 1-8192.")]
    public int? BatchSize { get; init; }

    /// <example>42</example>
    [Description("Initialisation and shuffling seed. When absent, POST /jobs picks one at random and records it in the job's spec; the train and bench commands use 42.")]
    public int? Seed { get; init; }

    /// <example>auto</example>
    [Description("cpu, cuda or auto (cuda when available).")]
    public string? Device { get; init; }

    /// <example>default</example>
    [Description("default (ε-stopped power iteration and Björck, deel-lip ≥ 1.4) or deel2021 (the notebook's fixed counts).")]
    public string? Normalization { get; init; }

    public TrainingSpec ToTrainingSpec(int defaultSeed)
    {
        var d = new TrainingSpec();
        return new TrainingSpec
        {
            Dataset = Dataset ?? d.Dataset,
            PositiveClass = PositiveClass ?? d.PositiveClass,
            NegativeClass = NegativeClass ?? d.NegativeClass,
            Hidden = Hidden ?? d.Hidden,
            Activation = Activation ?? d.Activation,
            Alpha = Alpha ?? d.Alpha,
            MinMargin = MinMargin ?? d.MinMargin,
            LearningRate = LearningRate ?? d.LearningRate,
            Epochs = Epochs ?? d.Epochs,
            BatchSize = BatchSize ?? d.BatchSize,
            Seed = Seed ?? defaultSeed,
            Device = Device ?? d.Device,
            Normalization = Normalization ?? d.Normalization,
        };
    }
}
