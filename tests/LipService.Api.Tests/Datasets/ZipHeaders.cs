using System.Buffers.Binary;
using System.Text;

namespace LipService.Api.Tests.Datasets;

/// <summary>Rewrites fields of a finished zip, to make the lies a hostile zip tells.</summary>
internal static class ZipHeaders
{
    private const uint LocalHeader = 0x04034B50;
    private const uint CentralHeader = 0x02014B50;

    /// <summary>
    /// Sets the uncompressed size that both the local header and the central directory declare for
    /// <paramref name="entryName"/>, leaving its data as it is.
    /// </summary>
    public static void DeclareLength(string zipPath, string entryName, uint length)
    {
        byte[] zip = File.ReadAllBytes(zipPath);
        byte[] name = Encoding.UTF8.GetBytes(entryName);
        int patched = 0;
        for (int i = 0; i + 46 <= zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            // Local header: size at 22, name length at 26, name at 30. Central: size at 24, name length at 28, name at 46.
            (int sizeAt, int nameLengthAt, int nameAt) = signature switch
            {
                LocalHeader => (22, 26, 30),
                CentralHeader => (24, 28, 46),
                _ => (0, 0, 0),
            };
            if (sizeAt == 0) continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + nameLengthAt));
            if (!zip.AsSpan(i + nameAt, nameLength).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + sizeAt), length);
            patched++;
        }
        if (patched != 2) throw new InvalidOperationException($"found {patched} headers for '{entryName}', expected 2");
        File.WriteAllBytes(zipPath, zip);
    }
}
