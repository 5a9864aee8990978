using System.Buffers.Binary;
using System.IO.Compression;

namespace LipService.Api.Tests.Imaging;

/// <summary>The first images of the real MNIST test set, parsed from the IDX file.</summary>
internal static class MnistTestDigits
{
    public const int Side = 28;
    public const int Count = 50;

    private static readonly Lazy<byte[][]> Images =
        new(() => Load(Path.Combine(TestPaths.MnistDirectory, "t10k-images-idx3-ubyte.gz"), Count));

    /// <summary>Digit <paramref name="index"/>: 784 bytes, row-major, 0 = black paper, 255 = ink.</summary>
    public static byte[] Get(int index) => Images.Value[index];

    public static IEnumerable<(int Index, byte[] Pixels)> First(int count) =>
        Enumerable.Range(0, count).Select(i => (i, Get(i)));

    private static byte[][] Load(string path, int count)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[16];
        gzip.ReadExactly(header);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        int stored = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (magic != 2051 || rows != Side || columns != Side || stored < count)
            throw new InvalidDataException($"{path}: magic {magic}, {stored} images of {rows}×{columns}; expected IDX3 images of 28×28.");

        var images = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            images[i] = new byte[Side * Side];
            gzip.ReadExactly(images[i]);
        }
        return images;
    }
}
