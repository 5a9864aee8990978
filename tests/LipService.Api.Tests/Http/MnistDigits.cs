using LipService.Training.Data;

namespace LipService.Api.Tests.Http;

/// <summary>Real MNIST test digits (pixels scaled to [0, 1]) with their labels, read from the workspace copy.</summary>
internal static class MnistDigits
{
    private static readonly Lazy<(byte[] Pixels, byte[] Labels)> Data = new(Load);

    /// <summary>The first <paramref name="count"/> test digits of the two classes, in file order.</summary>
    public static IReadOnlyList<(float[] Pixels, int Label)> Take(int count, int positive = 0, int negative = 8)
    {
        var (pixels, labels) = Data.Value;
        var result = new List<(float[], int)>();
        for (int i = 0; i < labels.Length && result.Count < count; i++)
        {
            if (labels[i] != positive && labels[i] != negative) continue;
            var digit = new float[MnistFile.PixelsPerImage];
            for (int p = 0; p < digit.Length; p++) digit[p] = pixels[i * digit.Length + p] / 255f;
            result.Add((digit, labels[i]));
        }
        return result;
    }

    /// <summary>The raw 28×28 bytes of the i-th selected digit (for rendering images).</summary>
    public static IReadOnlyList<(byte[] Pixels, int Label)> TakeBytes(int count, int positive = 0, int negative = 8)
    {
        var (pixels, labels) = Data.Value;
        var result = new List<(byte[], int)>();
        for (int i = 0; i < labels.Length && result.Count < count; i++)
        {
            if (labels[i] != positive && labels[i] != negative) continue;
            result.Add((pixels.AsSpan(i * MnistFile.PixelsPerImage, MnistFile.PixelsPerImage).ToArray(), labels[i]));
        }
        return result;
    }

    /// <summary>Test image <paramref name="index"/> of any class: 784 bytes, row-major, 0 = black paper, 255 = ink.</summary>
    public static byte[] RawTestImage(int index) => Data.Value.Pixels.AsSpan(index * MnistFile.PixelsPerImage, MnistFile.PixelsPerImage).ToArray();

    // Through the product's reader: magic numbers, sizes and lengths are checked in one place.
    private static (byte[], byte[]) Load() => (
        IdxReader.ReadImages(Path.Combine(WorkspaceData.MnistDirectory, MnistFile.TestImages.FileName)).Pixels,
        IdxReader.ReadLabels(Path.Combine(WorkspaceData.MnistDirectory, MnistFile.TestLabels.FileName)));
}
