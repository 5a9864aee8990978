using LipService.Training.Specs;

namespace LipService.Api.Contracts;

/// <summary>What a job's or model's dataset makes of its spec: the images the network takes and the names of its classes.</summary>
internal static class TrainedShape
{
    /// <summary>Channels, height, width: 1, 28, 28 for MNIST and Fashion-MNIST, an uploaded dataset's own otherwise.</summary>
    public static IReadOnlyList<int> Input(TrainingSpec spec) => [spec.Input.Channels, spec.Input.Height, spec.Input.Width];

    /// <summary>The name of each of the spec's classes, in their order: a digit, an item, a folder's name or a label value.</summary>
    public static IReadOnlyList<string> ClassNames(TrainingSpec spec) => [.. spec.Classes.Select(spec.ClassName)];
}
