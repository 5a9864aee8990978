namespace LipService.Api.Tests.Imaging;

/// <summary>The first images of the real MNIST test set, parsed from the IDX file.</summary>
internal static class MnistTestDigits
{
    public const int Side = 28;
    public const int Count = 50;

    /// <summary>Digit <paramref name="index"/>: 784 bytes, row-major, 0 = black paper, 255 = ink.</summary>
    public static byte[] Get(int index) => Http.MnistDigits.RawTestImage(index);

    public static IEnumerable<(int Index, byte[] Pixels)> First(int count) =>
        Enumerable.Range(0, count).Select(i => (i, Get(i)));
}
