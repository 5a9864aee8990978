using System.ComponentModel;
using System.Text.Json.Serialization;
using LipService.Api.Datasets;
using LipService.Training.Data;
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
    /// <example>notebook</example>
    [Description("Starting point for the other fields, which override it: notebook (the default: MNIST 0 vs 8, dense), mnist10-dense, mnist10-conv, mnist10-robust or fashion-conv.")]
    public string? Preset { get; init; }

    /// <example>mnist</example>
    [Description("mnist, fashion-mnist (labels 0-9 are its ten item kinds), or the id of an uploaded dataset (ds-…, see GET /datasets): the network then takes its image size, and classes default to all of its labels.")]
    public string? Dataset { get; init; }

    /// <example>[0, 8]</example>
    [Description("The labels the model tells apart, in output order: 0-9 for mnist and fashion-mnist, an uploaded dataset's labels (default: all of them). Two train the notebook's binary model (+1 for the first), three or more one output per class.")]
    public int[]? Classes { get; init; }

    /// <example>0</example>
    [Description("Binary models: the label scored +1 (0-9); the same as classes[0]. Give classes or the two class fields, not both.")]
    public int? PositiveClass { get; init; }

    /// <example>8</example>
    [Description("Binary models: the label scored −1 (0-9, not the positive class); the same as classes[1].")]
    public int? NegativeClass { get; init; }

    /// <example>dense</example>
    [Description("dense (SpectralDense layers), conv (SpectralConv2D layers listed in channels, then the dense layers), ortho-conv (orthogonal, gradient-norm preserving OrthoConv2D layers listed in channels, each followed by an orthogonal 2×2/s2 down-sampling to twice the channels, then the dense layers) or ortho-conv-unshuffle (ortho-conv after an orthogonal 2×2/s2 down-sampling of the image to 4 channels at 14×14: a square first layer, which passes gradients back at full norm where a convolution from 1 channel to many cannot).")]
    public string? Architecture { get; init; }

    /// <example>[32, 64]</example>
    [Description("conv and ortho-conv(-unshuffle) only: output channels of the 3×3 convolutions, 1 to 4 of 1-512. conv: each followed by the activation and a 2×2 L2-norm pooling; ortho-conv: each followed by the activation, an orthogonal 2×2/s2 down-sampling to twice the channels and the activation again (ortho-conv-unshuffle starts at 14×14, so one convolution fits MNIST).")]
    public int[]? Channels { get; init; }

    /// <example>[32, 16]</example>
    [Description("Widths of the SpectralDense layers: 1 to 8 layers of 1-4096 units (even for groupsort2); none is allowed after convolutions.")]
    public int[]? Hidden { get; init; }

    /// <example>groupsort2</example>
    [Description("groupsort2, groupsort<n>, fullsort or relu (1-Lipschitz but not gradient-norm preserving).")]
    public string? Activation { get; init; }

    /// <example>hkr</example>
    [Description("hkr (α·hinge − KR with margin m); tau-cce (cross-entropy of softmax(τ·f) divided by τ); pairwise-hinge ((1/C)·Σ_{j≠y} max(0, μ − (f_y − f_j)), torch's multi_margin_loss, μ = minMargin); or offset-cce (T·cross-entropy of (f − μ·e_y)/T, μ = minMargin, T = 1/tau). All but hkr need three or more classes.")]
    public string? Loss { get; init; }

    /// <example>10</example>
    [Description("Weight of the hinge term in HKR = α·hinge − KR; ≥ 0.")]
    public double? Alpha { get; init; }

    /// <example>1</example>
    [Description("Margin > 0: hkr's hinge margin m (each output is pushed past ±m); for pairwise-hinge and offset-cce the target μ of f_y − f_j (a margin μ certifies the radius μ/(√2·L)).")]
    public double? MinMargin { get; init; }

    /// <example>10</example>
    [Description("τ of tau-cce, and of offset-cce, whose temperature is T = 1/τ (T = 0.25 is τ = 4); > 0: low favours certified robustness, high clean accuracy.")]
    public double? Tau { get; init; }

    /// <example>0.001</example>
    [Description("Adam's learning rate, in (0, 1].")]
    public double? LearningRate { get; init; }

    /// <example>constant</example>
    [Description("constant, or cosine: the rate falls from learningRate towards 0 over the epochs (½·(1 + cos(π·(e−1)/E)) in epoch e).")]
    public string? LearningRateSchedule { get; init; }

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
    [Description("default (deel-lip ≥ 1.4: exact σ, ε-stopped Björck, from the Gram matrix's eigenvalues) or deel2021 (the notebook's fixed counts).")]
    public string? Normalization { get; init; }

    /// <summary>
    /// The spec this request asks for — the preset's fields overridden by the given ones — and
    /// every problem, keyed by field name: the spec's own and the request's (an unknown preset or
    /// choice name, classes given twice over). The spec is only meaningful without errors.
    /// </summary>
    /// <param name="uploaded">The uploaded datasets the request may name, by id (fetched by the caller, see
    /// <see cref="UploadedDatasets"/>); null where none can be trained on (the command line).</param>
    public (TrainingSpec Spec, IReadOnlyDictionary<string, string[]> Errors) Resolve(int defaultSeed, IReadOnlyDictionary<string, DatasetRecord>? uploaded = null)
    {
        TrainingPresets.TryGet(Preset, out var d);
        var unread = new Dictionary<string, string>();
        T Choice<T>(SpecChoice<T> choice, string? text, T presetValue) where T : struct
        {
            if (text is null) return presetValue;
            if (choice.TryRead(text, out var value)) return value;
            unread[choice.Field] = choice.Unknown(text);
            return presetValue;
        }

        var architecture = Choice(SpecChoices.Architecture, Architecture, d.Architecture);
        var dataset = Choice(SpecChoices.Dataset, Dataset, d.Dataset);
        DatasetRecord? data = null;
        if (dataset.UploadedId is { } id && !(uploaded?.TryGetValue(id, out data) ?? false))
        {
            unread[SpecChoices.Dataset.Field] = uploaded is null
                ? $"'{id}' is an uploaded dataset, which lives in the service's store: train on it with POST /jobs."
                : $"No uploaded dataset has the id '{id}'; GET /datasets lists them.";
            dataset = d.Dataset;
        }
        bool classesGiven = Classes is not null || PositiveClass is not null || NegativeClass is not null;
        var spec = d with
        {
            Preset = Preset ?? d.Preset,
            Dataset = dataset,
            Input = data?.Shape ?? ImageShape.Mnist,
            ClassNames = data?.ClassNamesByLabel(),
            Classes = Classes ?? (!classesGiven && data is not null ? [.. data.Classes.Select(c => c.Label)]
                : PositiveClass is null && NegativeClass is null ? d.Classes : [PositiveClass ?? d.Classes[0], NegativeClass ?? d.Classes[1]]),
            Architecture = architecture,
            Channels = Channels ?? ChannelsFor(Architecture is null ? null : architecture, d),
            Hidden = Hidden ?? d.Hidden,
            Activation = Choice(SpecChoices.Activation, Activation, d.Activation),
            Loss = Choice(SpecChoices.Loss, Loss, d.Loss),
            Alpha = Alpha ?? d.Alpha,
            MinMargin = MinMargin ?? d.MinMargin,
            Tau = Tau ?? d.Tau,
            LearningRate = LearningRate ?? d.LearningRate,
            LearningRateSchedule = Choice(SpecChoices.LearningRateSchedule, LearningRateSchedule, d.LearningRateSchedule),
            Epochs = Epochs ?? d.Epochs,
            BatchSize = BatchSize ?? d.BatchSize,
            Seed = Seed ?? defaultSeed,
            Device = Choice(SpecChoices.Device, Device, d.Device),
            Normalization = Choice(SpecChoices.Normalization, Normalization, d.Normalization),
        };
        var errors = new Dictionary<string, string[]>(spec.Validate(unread));
        if (Classes is not null && (PositiveClass is not null || NegativeClass is not null))
            errors["classes"] = ["Give classes, or positiveClass and negativeClass, not both."];
        else if (data is not null && !errors.ContainsKey("classes") && spec.Classes.FirstOrDefault(label => data.Classes.All(c => c.Label != label), -1) is var missing and >= 0)
            errors["classes"] = [$"The dataset {data.Id} has no label {missing}; its labels are {string.Join(", ", data.Classes.Select(c => $"{c.Label} ({c.Name})"))}."];
        return (spec, errors);
    }

    /// <summary>The preset's channels, unless the request switches architecture: then none for dense, mnist10-conv's for the convolutional ones.</summary>
    /// <remarks>An unknown architecture name arrives as the preset's: it is an error, so its channels do not matter.</remarks>
    private static IReadOnlyList<int> ChannelsFor(ArchitectureKind? requested, TrainingSpec preset)
    {
        if (requested is null || requested == preset.Architecture) return preset.Channels;
        if (requested.Value.HasConvolutions() && preset.Architecture.HasConvolutions()) return preset.Channels;
        TrainingPresets.TryGet("mnist10-conv", out var conv);
        return requested.Value.HasConvolutions() ? conv.Channels : [];
    }
}
