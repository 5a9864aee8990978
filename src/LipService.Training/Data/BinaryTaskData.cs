namespace LipService.Training.Data;

/// <summary>
/// A two-class subset of an image set, ready for a model: <see cref="Pixels"/> holds
/// <see cref="Count"/> rows of <see cref="Features"/> values in [0, 1] (row-major), and
/// <see cref="Labels"/> holds +1 for <see cref="PositiveClass"/> and -1 for <see cref="NegativeClass"/>,
/// in the order the samples had in the source.
/// </summary>
public sealed class BinaryTaskData
{
    public BinaryTaskData(float[] pixels, float[] labels, int features, int positiveClass, int negativeClass)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if ((long)labels.Length * features != pixels.LongLength)
        {
            throw new ArgumentException(
                $"{labels.Length} samples of {features} features need {(long)labels.Length * features} pixels, got {pixels.LongLength}.",
                nameof(pixels));
        }

        Pixels = pixels;
        Labels = labels;
        Features = features;
        PositiveClass = positiveClass;
        NegativeClass = negativeClass;
    }

    public float[] Pixels { get; }

    public float[] Labels { get; }

    public int Count => Labels.Length;

    public int Features { get; }

    public int PositiveClass { get; }

    public int NegativeClass { get; }
}
