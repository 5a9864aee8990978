using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>
/// Synthetic stand-ins for the MNIST files: structurally valid (right counts, 28x28) but with
/// made-up contents, so they fail the published checksums by construction.
/// </summary>
internal static class FakeMnist
{
    /// <summary>
    /// Writes all four files at full size, uncompressed despite the .gz names (the reader goes by
    /// content), and returns what they hold.
    /// </summary>
    public static (byte[] TrainPixels, byte[] TrainLabels, byte[] TestPixels, byte[] TestLabels) WriteFullSize(string directory)
    {
        var side = MnistFile.ImageSide;
        var trainPixels = IdxTestFiles.RandomBytes(MnistFile.TrainImages.Count * side * side, seed: 10);
        var testPixels = IdxTestFiles.RandomBytes(MnistFile.TestImages.Count * side * side, seed: 11);
        var trainLabels = Digits(MnistFile.TrainLabels.Count, seed: 12);
        var testLabels = Digits(MnistFile.TestLabels.Count, seed: 13);

        Write(directory, MnistFile.TrainImages, IdxTestFiles.Images(MnistFile.TrainImages.Count, side, side, trainPixels));
        Write(directory, MnistFile.TrainLabels, IdxTestFiles.Labels(trainLabels));
        Write(directory, MnistFile.TestImages, IdxTestFiles.Images(MnistFile.TestImages.Count, side, side, testPixels));
        Write(directory, MnistFile.TestLabels, IdxTestFiles.Labels(testLabels));
        return (trainPixels, trainLabels, testPixels, testLabels);
    }

    public static void Write(string directory, MnistFile file, byte[] content) =>
        File.WriteAllBytes(Path.Combine(directory, file.FileName), content);

    private static byte[] Digits(int count, int seed)
    {
        var random = new Random(seed);
        var labels = new byte[count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)random.Next(10);
        }

        return labels;
    }
}
