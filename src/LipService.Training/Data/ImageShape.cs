namespace LipService.Training.Data;

/// <summary>The size every image of a dataset has: channels × height × width, stored planar (CHW).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>MNIST's and Fashion-MNIST's: one channel, 28×28.</summary>
    public static ImageShape Mnist { get; } = new(1, MnistFile.ImageSide, MnistFile.ImageSide);

    /// <summary>Bytes (and network inputs) per image.</summary>
    public int Pixels => Channels * Height * Width;

    /// <summary>"28×28, 1 channel" — the form messages and the page use.</summary>
    public override string ToString() => $"{Height}×{Width}, {Channels} channel{(Channels == 1 ? "" : "s")}";
}
