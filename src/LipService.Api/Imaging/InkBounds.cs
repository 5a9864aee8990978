namespace LipService.Api.Imaging;

/// <summary>The smallest pixel rectangle holding every pixel of a plane above a threshold.</summary>
internal readonly record struct InkBounds(int X, int Y, int Width, int Height)
{
    /// <summary>Bounds of the pixels strictly above <paramref name="threshold"/>; null when there are none.</summary>
    public static InkBounds? Find(ReadOnlySpan<byte> plane, int width, byte threshold)
    {
        if (threshold == byte.MaxValue) return null;
        byte above = (byte)(threshold + 1);
        int first = plane.IndexOfAnyInRange(above, byte.MaxValue);
        if (first < 0) return null;
        int top = first / width;
        int bottom = plane.LastIndexOfAnyInRange(above, byte.MaxValue) / width;

        int left = width, right = -1;
        for (int y = top; y <= bottom; y++)
        {
            ReadOnlySpan<byte> row = plane.Slice(y * width, width);
            int start = row.IndexOfAnyInRange(above, byte.MaxValue);
            if (start < 0) continue;
            left = Math.Min(left, start);
            right = Math.Max(right, row.LastIndexOfAnyInRange(above, byte.MaxValue));
        }
        return new InkBounds(left, top, right - left + 1, bottom - top + 1);
    }
}
