using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>A job's or model's training spec as answered: every field filled in, the seed too.</summary>
public sealed record TrainingSpecResponse(
    string Dataset,
    int PositiveClass,
    int NegativeClass,
    IReadOnlyList<int> Hidden,
    string Activation,
    double Alpha,
    double MinMargin,
    double LearningRate,
    int Epochs,
    int BatchSize,
    int Seed,
    string Device,
    string Normalization)
{
    public static TrainingSpecResponse From(TrainingSpec spec) => new(
        spec.Dataset, spec.PositiveClass, spec.NegativeClass, spec.Hidden, spec.Activation, spec.Alpha, spec.MinMargin,
        spec.LearningRate, spec.Epochs, spec.BatchSize, spec.Seed, spec.Device, spec.Normalization);
}
