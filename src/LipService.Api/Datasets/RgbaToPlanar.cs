namespace LipService.Api.Datasets;

/// <summary>Turns one decoded premultiplied RGBA image into the planar (CHW) bytes a sample holds.</summary>
internal static class RgbaToPlanar
{
    /// <summary>
    /// Alpha is dropped after premultiplication, which is compositing onto black: transparent
    /// background becomes 0, the background value of MNIST-style data.
    /// </summary>
    public static void Convert(ReadOnlySpan<byte> rgba, Span<byte> planar, int channels)
    {
        int pixels = rgba.Length / 4;
        if (channels == 1)
        {
            // Rec. 601 luma in 8.8 fixed point; the weights sum to 256, so a gray pixel (R = G = B) keeps its value.
            for (int i = 0, s = 0; i < pixels; i++, s += 4)
                planar[i] = (byte)((77 * rgba[s] + 150 * rgba[s + 1] + 29 * rgba[s + 2] + 128) >> 8);
            return;
        }

        Span<byte> red = planar[..pixels];
        Span<byte> green = planar.Slice(pixels, pixels);
        Span<byte> blue = planar.Slice(2 * pixels, pixels);
        for (int i = 0, s = 0; i < pixels; i++, s += 4)
        {
            red[i] = rgba[s];
            green[i] = rgba[s + 1];
            blue[i] = rgba[s + 2];
        }
    }
}
