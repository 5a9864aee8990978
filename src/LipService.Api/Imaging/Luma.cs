namespace LipService.Api.Imaging;

/// <summary>Grey from colour, the one way every upload path takes it.</summary>
internal static class Luma
{
    /// <summary>
    /// ITU-R BT.601 luma (the weights of most "to greyscale" conversions) in 8.8 fixed point of the RGBA
    /// pixel at byte <paramref name="p"/>; the weights sum to 256, so a grey pixel (R = G = B) keeps its value.
    /// </summary>
    public static int Of(ReadOnlySpan<byte> rgba, int p) =>
        (77 * rgba[p] + 150 * rgba[p + 1] + 29 * rgba[p + 2] + 128) >> 8;
}
