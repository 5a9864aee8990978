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
    [property: JsonPropertyName("normalization")] string Normalization)
{
    public static StoredSpec From(TrainingSpec spec) => new(
        spec.Dataset, spec.PositiveClass, spec.NegativeClass, [.. spec.Hidden], spec.Activation, spec.Alpha, spec.MinMargin,
        spec.LearningRate, spec.Epochs, spec.BatchSize, spec.Seed, spec.Device, spec.Normalization);

    public TrainingSpec ToSpec() => new()
    {
        Dataset = Dataset,
        PositiveClass = PositiveClass,
        NegativeClass = NegativeClass,
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
