using System.Text.Json.Serialization;
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
    [property: JsonPropertyName("learningRateSchedule")] string? LearningRateSchedule = null)
{
    public static StoredSpec From(TrainingSpec spec) => new(
        spec.Dataset, spec.PositiveClass, spec.NegativeClass, [.. spec.Hidden], spec.Activation, spec.Alpha, spec.MinMargin,
        spec.LearningRate, spec.Epochs, spec.BatchSize, spec.Seed, spec.Device, spec.Normalization,
        spec.Preset, [.. spec.Classes], spec.Architecture, [.. spec.Channels], spec.Loss, spec.Tau, spec.LearningRateSchedule);

    public TrainingSpec ToSpec() => new()
    {
        Preset = Preset ?? TrainingPresets.Notebook,
        Dataset = Dataset,
        // Version 1 rows are binary models, which kept their two classes apart.
        Classes = Classes ?? [PositiveClass, NegativeClass],
        Architecture = Architecture ?? TrainingSpec.Dense,
        Channels = Channels ?? [],
        Loss = Loss ?? TrainingSpec.HkrLoss,
        Tau = Tau ?? new TrainingSpec().Tau,
        LearningRateSchedule = LearningRateSchedule ?? TrainingSpec.ConstantSchedule,
        Hidden = Hidden,
        Activation = Activation,
        Alpha = Alpha,
        MinMargin = MinMargin,
        LearningRate = LearningRate,
        Epochs = Epochs,
        BatchSize = BatchSize,
        Seed = Seed,
        Device = Device,
        Normalization = Normalization,
    };
}
