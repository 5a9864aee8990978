namespace LipService.Training.Data;

/// <summary>
/// The samples of chosen classes of an image set, ready for a model: <see cref="Pixels"/> holds
/// <see cref="Count"/> rows of <see cref="Features"/> values in [0, 1] (row-major), and
/// <see cref="ClassIndices"/> each sample's position in <see cref="Classes"/> (its output), in the
/// order the samples had in the source.
/// </summary>
public sealed class ClassTaskData
{
    public ClassTaskData(float[] pixels, long[] classIndices, int features, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(classIndices);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if ((long)classIndices.Length * features != pixels.LongLength)
        {
            throw new ArgumentException(
                $"{classIndices.Length} samples of {features} features need {(long)classIndices.Length * features} pixels, got {pixels.LongLength}.",
                nameof(pixels));
        }

        Pixels = pixels;
        ClassIndices = classIndices;
        Features = features;
        Classes = classes;
    }

    public float[] Pixels { get; }

    public long[] ClassIndices { get; }

    public int Count => ClassIndices.Length;

    public int Features { get; }

    /// <summary>The source labels, in output order.</summary>
    public IReadOnlyList<int> Classes { get; }

    /// <summary>The notebook's binary targets: +1 for the first class, −1 for the second.</summary>
    public float[] BinaryTargets()
    {
        if (Classes.Count != 2) throw new InvalidOperationException($"Binary targets need two classes; this task has {Classes.Count}.");
        var targets = new float[Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = ClassIndices[i] == 0 ? 1f : -1f;
        return targets;
    }

    /// <summary>The first <paramref name="count"/> samples.</summary>
    public ClassTaskData Head(int count) => new(Pixels[..(count * Features)], ClassIndices[..count], Features, Classes);
}
