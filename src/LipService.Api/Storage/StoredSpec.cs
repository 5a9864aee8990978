using System.Text.Json.Serialization;
using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Api.Storage;

/// <summary>
/// The spec as the store keeps it (JSON in the jobs and models tables). Its names are fixed here,
/// apart from the C# names of the domain and wire types: renaming a field is a store migration.
/// </summary>
internal sealed record StoredSpec(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("positiveClass")] int PositiveClass,
    [property: JsonPropertyName("negativeClass")] int NegativeClass,
    [property: JsonPropertyName("hidden")] int[] Hidden,
    [property: JsonPropertyName("activation")] string Activation,
    [property: JsonPropertyName("alpha")] double Alpha,
    [property: JsonPropertyName("minMargin")] double MinMargin,
    [property: JsonPropertyName("learningRate")] double LearningRate,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("batchSize")] int BatchSize,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("normalization")] string Normalization,
    // Added in store version 2 (multiclass and convolutional models); absent from older rows.
    [property: JsonPropertyName("preset")] string? Preset = null,
    [property: JsonPropertyName("classes")] int[]? Classes = null,
    [property: JsonPropertyName("architecture")] string? Architecture = null,
    [property: JsonPropertyName("channels")] int[]? Channels = null,
    [property: JsonPropertyName("loss")] string? Loss = null,
    [property: JsonPropertyName("tau")] double? Tau = null,
    [property: JsonPropertyName("learningRateSchedule")] string? LearningRateSchedule = null,
    // Added in store version 6 (uploaded datasets): channels, height, width; and the class names by label.
    // Absent, not null, from built-in datasets' rows, which read the same either way.
    [property: JsonPropertyName("input"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Input = null,
    [property: JsonPropertyName("classNames"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string?[]? ClassNames = null)
{
    public static StoredSpec From(TrainingSpec spec) => new(
        SpecChoices.Dataset.NameOf(spec.Dataset), spec.PositiveClass, spec.NegativeClass, [.. spec.Hidden], SpecChoices.Activation.NameOf(spec.Activation),
        spec.Alpha, spec.MinMargin, spec.LearningRate, spec.Epochs, spec.BatchSize, spec.Seed,
        SpecChoices.Device.NameOf(spec.Device), SpecChoices.Normalization.NameOf(spec.Normalization),
        spec.Preset, [.. spec.Classes], SpecChoices.Architecture.NameOf(spec.Architecture), [.. spec.Channels],
        SpecChoices.Loss.NameOf(spec.Loss), spec.Tau, SpecChoices.LearningRateSchedule.NameOf(spec.LearningRateSchedule),
        // Written only where they differ from the built-in datasets', so older rows and newer built-in rows read alike.
        spec.Input == ImageShape.Mnist ? null : [spec.Input.Channels, spec.Input.Height, spec.Input.Width],
        spec.ClassNames is null ? null : [.. spec.ClassNames]);

    /// <remarks>
    /// Rows written before the spec was typed hold names as users spelt them (any case, spaces
    /// around): <see cref="SpecChoice{T}.Read"/> accepts those as requests did.
    /// </remarks>
    public TrainingSpec ToSpec()
    {
        var defaults = new TrainingSpec();
        return new()
        {
            Preset = Preset ?? TrainingPresets.Notebook,
            Dataset = SpecChoices.Dataset.Read(Dataset),
            // Version 1 rows are binary models, which kept their two classes apart.
            Classes = Classes ?? [PositiveClass, NegativeClass],
            Architecture = Architecture is null ? ArchitectureKind.Dense : SpecChoices.Architecture.Read(Architecture),
            Channels = Channels ?? [],
            Loss = Loss is null ? LossKind.Hkr : SpecChoices.Loss.Read(Loss),
            Tau = Tau ?? defaults.Tau,
            LearningRateSchedule = LearningRateSchedule is null ? ScheduleKind.Constant : SpecChoices.LearningRateSchedule.Read(LearningRateSchedule),
            Hidden = Hidden,
            Activation = SpecChoices.Activation.Read(Activation),
            Alpha = Alpha,
            MinMargin = MinMargin,
            LearningRate = LearningRate,
            Epochs = Epochs,
            BatchSize = BatchSize,
            Seed = Seed,
            Device = SpecChoices.Device.Read(Device),
            Normalization = SpecChoices.Normalization.Read(Normalization),
            Input = Input is [int channels, int height, int width] ? new ImageShape(channels, height, width) : ImageShape.Mnist,
            ClassNames = ClassNames,
        };
    }
}
