using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>The bytes of the four real MNIST .gz files, read once per test run.</summary>
internal static class RealMnistFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Files = new(() =>
        MnistFile.All.ToDictionary(
            f => f.FileName,
            f => File.ReadAllBytes(Path.Combine(WorkspaceData.MnistDirectory, f.FileName))));

    public static IReadOnlyDictionary<string, byte[]> All => Files.Value;

    /// <summary>All four files, with one byte of <paramref name="corrupted"/> flipped.</summary>
    public static Dictionary<string, byte[]> WithCorrupted(MnistFile corrupted)
    {
        var files = All.ToDictionary(kv => kv.Key, kv => kv.Value);
        var bytes = (byte[])files[corrupted.FileName].Clone();
        bytes[bytes.Length / 2] ^= 0x01;
        files[corrupted.FileName] = bytes;
        return files;
    }
}
