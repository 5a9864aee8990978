namespace LipService.Training.Data;

/// <summary>
/// The full MNIST data as loaded by <see cref="MnistLoader"/>, or Fashion-MNIST's as loaded by
/// <see cref="FashionMnistLoader"/>: 60,000 training and 10,000 test 28x28 images, each with its
/// label (0-9: a digit, or a clothing class) at the same index.
/// </summary>
public sealed class MnistDataset
{
    public MnistDataset(IdxImages trainImages, byte[] trainLabels, IdxImages testImages, byte[] testLabels)
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(testLabels);
        if (trainImages.Count != trainLabels.Length)
        {
            throw new ArgumentException($"{trainImages.Count} training images but {trainLabels.Length} training labels.", nameof(trainLabels));
        }

        if (testImages.Count != testLabels.Length)
        {
            throw new ArgumentException($"{testImages.Count} test images but {testLabels.Length} test labels.", nameof(testLabels));
        }

        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
    }

    public IdxImages TrainImages { get; }

    public byte[] TrainLabels { get; }

    public IdxImages TestImages { get; }

    public byte[] TestLabels { get; }
}
