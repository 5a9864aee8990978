namespace LipService.Training.Data;

/// <summary>
/// Turns a labelled image set into a classification task over chosen classes: two digits for the
/// notebook's binary model, up to all ten.
/// </summary>
public static class ClassTask
{
    // Dividing (not multiplying by 1/255) keeps every value the correctly rounded quotient,
    // so 255 maps to exactly 1; the table makes that cost one lookup per pixel.
    private static readonly float[] Scale = BuildScale();

    /// <summary>The train and test splits of <paramref name="dataset"/> prepared as one task.</summary>
    public static (ClassTaskData Train, ClassTaskData Test) Prepare(MnistDataset dataset, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return (Prepare(dataset.TrainImages, dataset.TrainLabels, classes),
                Prepare(dataset.TestImages, dataset.TestLabels, classes));
    }

    /// <summary>
    /// Keeps the samples labelled with one of <paramref name="classes"/>, in their original order,
    /// each with the position of its label in <paramref name="classes"/>, pixels scaled from 0-255 to [0, 1].
    /// </summary>
    public static ClassTaskData Prepare(IdxImages images, byte[] labels, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Prepare(images.Pixels, images.PixelsPerImage, labels, classes);
    }

    /// <summary>
    /// As <see cref="Prepare(IdxImages, byte[], IReadOnlyList{int})"/>, for images of
    /// <paramref name="features"/> bytes each (channels × height × width) laid end to end in <paramref name="source"/>.
    /// </summary>
    public static ClassTaskData Prepare(byte[] source, int features, byte[] labels, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        var index = IndexOf(classes);
        if ((long)labels.Length * features != source.LongLength)
        {
            throw new ArgumentException(
                $"There are {source.LongLength / features} images but {labels.Length} labels; they must pair up one to one.", nameof(labels));
        }

        var count = 0;
        foreach (var label in labels)
        {
            if (index[label] >= 0) count++;
        }

        var pixels = new float[(long)count * features];
        var targets = new long[count];
        var row = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var position = index[labels[i]];
            if (position < 0) continue;
            targets[row] = position;
            ScaleInto(source.AsSpan((int)((long)i * features), features), pixels.AsSpan((int)((long)row * features), features));
            row++;
        }

        return new ClassTaskData(pixels, targets, features, [.. classes]);
    }

    /// <summary>Output position of every byte label, −1 for labels not in the task.</summary>
    private static int[] IndexOf(IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count < 2) throw new ArgumentException($"A task needs two or more classes; got {classes.Count}.", nameof(classes));
        var index = new int[256];
        Array.Fill(index, -1);
        for (var i = 0; i < classes.Count; i++)
        {
            var label = classes[i];
            if (label is < 0 or > byte.MaxValue) throw new ArgumentOutOfRangeException(nameof(classes), label, "A class must be a label from 0 to 255.");
            if (index[label] >= 0) throw new ArgumentException($"The classes must differ; {label} is listed twice.", nameof(classes));
            index[label] = i;
        }

        return index;
    }

    /// <summary>Pixel bytes 0-255 as the network sees them, in [0, 1]: for training and for serving alike.</summary>
    /// <remarks>Spans over exactly one image let the JIT drop the per-pixel bounds checks.</remarks>
    public static void ScaleInto(ReadOnlySpan<byte> source, Span<float> target)
    {
        var scale = Scale.AsSpan();
        for (var j = 0; j < source.Length && j < target.Length; j++)
        {
            target[j] = scale[source[j]];
        }
    }

    private static float[] BuildScale()
    {
        var scale = new float[256];
        for (var b = 0; b < scale.Length; b++)
        {
            scale[b] = b / 255f;
        }

        return scale;
    }
}
