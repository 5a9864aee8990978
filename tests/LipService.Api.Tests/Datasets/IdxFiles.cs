using System.Buffers.Binary;

namespace LipService.Api.Tests.Datasets;

/// <summary>IDX files written byte by byte, as the format describes them.</summary>
internal static class IdxFiles
{
    /// <summary>Images file: magic 0x803 (count, rows, columns) or, with <paramref name="channels"/>, 0x804 (…, channels), pixels stored HWC.</summary>
    public static byte[] Images(int count, int height, int width, int? channels = null, Func<int, int, int, int, byte>? pixel = null, long? declaredCount = null)
    {
        int c = channels ?? 1;
        var header = new List<int> { channels is null ? 0x803 : 0x804, (int)(declaredCount ?? count), height, width };
        if (channels is not null) header.Add(c);
        var bytes = new byte[(4 * header.Count) + (count * height * width * c)];
        for (int i = 0; i < header.Count; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), header[i]);
        int at = 4 * header.Count;
        for (int n = 0; n < count; n++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int k = 0; k < c; k++)
                        bytes[at++] = pixel?.Invoke(n, y, x, k) ?? (byte)(n + y + x + k);
                }
            }
        }
        return bytes;
    }

    public static byte[] Labels(params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>Labels 0, 1, 2, 0, 1, 2, … for <paramref name="count"/> images.</summary>
    public static byte[] CyclingLabels(int count, int classes = 3)
    {
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % classes);
        return Labels(labels);
    }
}
