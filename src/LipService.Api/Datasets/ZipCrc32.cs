namespace LipService.Api.Datasets;

/// <summary>
/// The CRC-32 a zip stores for each entry (ISO-HDLC, reflected polynomial 0xEDB88320).
/// </summary>
/// <remarks>
/// .NET inflates an entry only up to its declared size and stops there without a word, so an entry
/// whose declared size lies (a zip bomb's trick) reads as a short, truncated file. Its checksum, taken
/// over the whole original data, is what gives the lie away. The BCL's CRC-32 is in a separate package
/// (System.IO.Hashing); a table is a few lines.
/// </remarks>
internal static class ZipCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        uint[] table = Table;
        foreach (byte b in data)
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
