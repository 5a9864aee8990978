using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>
/// A job's or model's training spec as answered: every field filled in, the seed too.
/// <c>positiveClass</c> and <c>negativeClass</c> are the binary model's two classes, null for a
/// multiclass one.
/// </summary>
/// The fields a request sets, and no others, so that a spec sent back as it came is accepted: the input
/// shape and class names an uploaded dataset gives sit beside it (<see cref="TrainedShape"/>).
public sealed record TrainingSpecResponse(
    string Preset,
    string Dataset,
    IReadOnlyList<int> Classes,
    int? PositiveClass,
    int? NegativeClass,
    string Architecture,
    IReadOnlyList<int> Channels,
    IReadOnlyList<int> Hidden,
    string Activation,
    string Loss,
    double Alpha,
    double MinMargin,
    double Tau,
    double LearningRate,
    string LearningRateSchedule,
    int Epochs,
    int BatchSize,
    int Seed,
    string Device,
    string Normalization)
{
    public static TrainingSpecResponse From(TrainingSpec spec) => new(
        spec.Preset, SpecChoices.Dataset.NameOf(spec.Dataset), spec.Classes,
        spec.IsBinary ? spec.PositiveClass : null, spec.IsBinary ? spec.NegativeClass : null,
        SpecChoices.Architecture.NameOf(spec.Architecture), spec.Channels, spec.Hidden, SpecChoices.Activation.NameOf(spec.Activation),
        SpecChoices.Loss.NameOf(spec.Loss), spec.Alpha, spec.MinMargin, spec.Tau,
        spec.LearningRate, SpecChoices.LearningRateSchedule.NameOf(spec.LearningRateSchedule), spec.Epochs, spec.BatchSize, spec.Seed,
        SpecChoices.Device.NameOf(spec.Device), SpecChoices.Normalization.NameOf(spec.Normalization));
}
