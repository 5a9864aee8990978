namespace LipService.Training.Data;

/// <summary>
/// The four files of a dataset in MNIST's layout (60,000 training and 10,000 test images of 28x28,
/// labels 0-9): their names, item counts and published SHA-256 values, and what those values cover.
/// </summary>
/// <param name="Name">Names the dataset in messages ("MNIST", "Fashion-MNIST").</param>
public sealed record IdxDatasetFiles(
    string Name,
    MnistFile TrainImages,
    MnistFile TrainLabels,
    MnistFile TestImages,
    MnistFile TestLabels,
    IdxChecksumScope ChecksumScope)
{
    /// <summary>The original MNIST files; checksums as in MNIST's SHA256SUMS.</summary>
    public static IdxDatasetFiles Mnist { get; } = new(
        "MNIST", MnistFile.TrainImages, MnistFile.TrainLabels, MnistFile.TestImages, MnistFile.TestLabels, IdxChecksumScope.GzipFile);

    /// <summary>
    /// Zalando's Fashion-MNIST, under upstream's file names (which Debian's package keeps). The
    /// SHA-256 values are of the decompressed IDX files: upstream publishes only the MD5 of its .gz
    /// files, and Debian's .gz files are re-headered copies that match neither.
    /// </summary>
    public static IdxDatasetFiles FashionMnist { get; } = new(
        "Fashion-MNIST",
        new("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 60_000),
        new("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_000),
        new("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 10_000),
        new("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_000),
        IdxChecksumScope.IdxData);

    /// <summary>The four files: training images, training labels, test images, test labels.</summary>
    /// <remarks>Computed, not stored: a stored list would take part in the record's equality by reference.</remarks>
    public IReadOnlyList<MnistFile> All => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The files absent from <paramref name="directory"/>, in the order of <see cref="All"/>.</summary>
    public IReadOnlyList<MnistFile> MissingFrom(string directory) =>
        All.Where(f => !File.Exists(Path.Combine(directory, f.FileName))).ToList();
}
