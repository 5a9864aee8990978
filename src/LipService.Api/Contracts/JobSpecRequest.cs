using System.Text.Json.Serialization;
using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>
/// A training spec as posted to <c>POST /jobs</c>. Every field is optional and defaults to the
/// notebook's value, so <c>{}</c> trains the notebook's model. Unknown fields are rejected, so a
/// typo cannot silently fall back to a default.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JobSpecRequest
{
    /// <summary>Only "mnist".</summary>
    /// <example>mnist</example>
    public string? Dataset { get; init; }

    /// <summary>Digit labelled +1 (0-9).</summary>
    /// <example>0</example>
    public int? PositiveClass { get; init; }

    /// <summary>Digit labelled −1 (0-9, not the positive class).</summary>
    /// <example>8</example>
    public int? NegativeClass { get; init; }

    /// <summary>Widths of the SpectralDense layers: 1 to 8 layers of 1-4096 units (even for groupsort2).</summary>
    /// <example>[32, 16]</example>
    public int[]? Hidden { get; init; }

    /// <summary>groupsort2, groupsort&lt;n&gt;, fullsort or relu (1-Lipschitz but not gradient-norm preserving).</summary>
    /// <example>groupsort2</example>
    public string? Activation { get; init; }

    /// <summary>Weight of the hinge term in HKR = α·hinge − KR; ≥ 0.</summary>
    /// <example>10</example>
    public double? Alpha { get; init; }

    /// <summary>Hinge margin m &gt; 0.</summary>
    /// <example>1</example>
    public double? MinMargin { get; init; }

    /// <summary>Adam's learning rate, in (0, 1].</summary>
    /// <example>0.001</example>
    public double? LearningRate { get; init; }

    /// <summary>1-1000.</summary>
    /// <example>10</example>
    public int? Epochs { get; init; }

    /// <summary>1-8192.</summary>
    /// <example>128</example>
    public int? BatchSize { get; init; }

    /// <summary>Initialisation and shuffling seed; chosen at random and recorded when absent.</summary>
    /// <example>42</example>
    public int? Seed { get; init; }

    /// <summary>cpu, cuda or auto.</summary>
    /// <example>auto</example>
    public string? Device { get; init; }

    /// <summary>default (ε-stopped power iteration and Björck, deel-lip ≥ 1.4) or deel2021 (the notebook's fixed counts).</summary>
    /// <example>default</example>
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
