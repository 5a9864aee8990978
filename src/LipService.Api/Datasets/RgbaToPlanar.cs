using LipService.Api.Imaging;

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
            // The digits' and items' luma, so a picture is grey the same way whichever path it takes.
            for (int i = 0, s = 0; i < pixels; i++, s += 4)
                planar[i] = (byte)Luma.Of(rgba, s);
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
