namespace LipService.Training.Data;

/// <summary>
/// One of the four files of a dataset in MNIST's layout: its file name, its published SHA-256
/// (lower-case hex; <see cref="IdxDatasetFiles.ChecksumScope"/> says of which bytes), and how many
/// items it holds. The static members are the original MNIST files, whose SHA-256 is of the gzip
/// file, as in SHA256SUMS; <see cref="IdxDatasetFiles.FashionMnist"/> holds Fashion-MNIST's.
/// </summary>
public sealed record MnistFile(string FileName, string Sha256, int Count)
{
    /// <summary>Name of the checksum file shipped alongside the data (sha256sum format).</summary>
    public const string ChecksumFileName = "SHA256SUMS";

    /// <summary>Rows and columns of every MNIST image.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels of every MNIST image: the input size of every model trained here.</summary>
    public const int PixelsPerImage = ImageSide * ImageSide;

    public static MnistFile TrainImages { get; } =
        new("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 60_000);

    public static MnistFile TrainLabels { get; } =
        new("train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 60_000);

    public static MnistFile TestImages { get; } =
        new("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 10_000);

    public static MnistFile TestLabels { get; } =
        new("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 10_000);

    /// <summary>The four files, in the order of SHA256SUMS.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}
