namespace LipService.Api.Datasets;

/// <summary>
/// HWC (each pixel's channels side by side: IDX's N×H×W×C, a CSV row from numpy's <c>reshape(-1)</c>)
/// to the CHW planes a sample holds.
/// </summary>
internal static class InterleavedToPlanar
{
    public static void Convert(ReadOnlySpan<byte> interleaved, Span<byte> planar, int channels)
    {
        int pixels = interleaved.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            Span<byte> plane = planar.Slice(c * pixels, pixels);
            for (int p = 0, s = c; p < pixels; p++, s += channels)
                plane[p] = interleaved[s];
        }
    }
}
