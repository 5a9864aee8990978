namespace LipService.Api.Imaging;

/// <summary>Statistics of an 8-bit plane stored row-major without padding.</summary>
internal static class PlaneStatistics
{
    /// <summary>Median of the outermost rows and columns.</summary>
    public static byte BorderMedian(ReadOnlySpan<byte> plane, int width, int height)
    {
        Span<int> histogram = stackalloc int[256];
        int count = 0;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = plane.Slice(y * width, width);
            if (y == 0 || y == height - 1)
            {
                foreach (byte v in row) histogram[v]++;
                count += width;
            }
            else
            {
                histogram[row[0]]++;
                count++;
                if (width > 1)
                {
                    histogram[row[^1]]++;
                    count++;
                }
            }
        }

        int half = (count + 1) / 2, seen = 0;
        for (int v = 0; v < 256; v++)
        {
            seen += histogram[v];
            if (seen >= half) return (byte)v;
        }
        return 255;
    }

    public static byte Max(ReadOnlySpan<byte> plane)
    {
        byte max = 0;
        foreach (byte v in plane)
        {
            if (v > max) max = v;
        }
        return max;
    }
}
