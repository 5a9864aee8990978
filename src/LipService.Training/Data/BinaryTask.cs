namespace LipService.Training.Data;

/// <summary>
/// Turns a digit data set into a binary classification task: one digit against another.
/// </summary>
public static class BinaryTask
{
    // Dividing (not multiplying by 1/255) keeps every value the correctly rounded quotient,
    // so 255 maps to exactly 1; the table makes that cost one lookup per pixel.
    private static readonly float[] Scale = BuildScale();

    /// <summary>The train and test splits of <paramref name="mnist"/> prepared as one task.</summary>
    public static (BinaryTaskData Train, BinaryTaskData Test) Prepare(MnistDataset mnist, int positiveClass, int negativeClass)
    {
        ArgumentNullException.ThrowIfNull(mnist);
        return (Prepare(mnist.TrainImages, mnist.TrainLabels, positiveClass, negativeClass),
                Prepare(mnist.TestImages, mnist.TestLabels, positiveClass, negativeClass));
    }

    /// <summary>
    /// Keeps the samples labelled <paramref name="positiveClass"/> (label +1) or
    /// <paramref name="negativeClass"/> (label -1), in their original order, with pixels scaled from
    /// 0-255 to [0, 1].
    /// </summary>
    public static BinaryTaskData Prepare(IdxImages images, byte[] labels, int positiveClass, int negativeClass)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        CheckDigit(positiveClass, nameof(positiveClass));
        CheckDigit(negativeClass, nameof(negativeClass));
        if (positiveClass == negativeClass)
        {
            throw new ArgumentException(
                $"The positive and negative class must differ; both are {positiveClass}.", nameof(negativeClass));
        }

        if (labels.Length != images.Count)
        {
            throw new ArgumentException(
                $"There are {images.Count} images but {labels.Length} labels; they must pair up one to one.", nameof(labels));
        }

        var count = 0;
        foreach (var label in labels)
        {
            if (label == positiveClass || label == negativeClass)
            {
                count++;
            }
        }

        var features = images.PixelsPerImage;
        var pixels = new float[(long)count * features];
        var targets = new float[count];
        var source = images.Pixels;
        var row = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label != positiveClass && label != negativeClass)
            {
                continue;
            }

            targets[row] = label == positiveClass ? 1f : -1f;
            ScaleInto(source.AsSpan(i * features, features), pixels.AsSpan(row * features, features));
            row++;
        }

        return new BinaryTaskData(pixels, targets, features, positiveClass, negativeClass);
    }

    // Spans over exactly one image let the JIT drop the per-pixel bounds checks.
    private static void ScaleInto(ReadOnlySpan<byte> source, Span<float> target)
    {
        var scale = Scale.AsSpan();
        for (var j = 0; j < source.Length && j < target.Length; j++)
        {
            target[j] = scale[source[j]];
        }
    }

    private static void CheckDigit(int digit, string paramName)
    {
        if (digit is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(paramName, digit, "A class must be a digit from 0 to 9.");
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
