namespace LipService.Api.Imaging;

/// <summary>
/// How an image's colours become ink (255 = full stroke, 0 = paper): the grey that transparent
/// pixels are composited onto, and whether the grey scale is inverted.
/// </summary>
internal readonly record struct InkTone(byte Matte, bool Invert)
{
    /// <summary>
    /// Chooses the tone of a premultiplied RGBA image and writes its ink plane into <paramref name="ink"/>;
    /// null when every pixel is fully transparent.
    /// </summary>
    public static InkTone? Measure(ReadOnlySpan<byte> rgba, int width, int height, Span<byte> ink)
    {
        long lumaSum = 0, alphaSum = 0;
        for (int p = 0; p < rgba.Length; p += 4)
        {
            lumaSum += Luma.Of(rgba, p);
            alphaSum += rgba[p + 3];
        }
        if (alphaSum == 0) return null;

        // Transparent pixels are background. Drawing apps export a stroke of one colour on a
        // transparent canvas, so the matte is whatever contrasts with the opaque pixels: white under
        // dark strokes, black under light ones. (2·ΣL > Σα is "alpha-weighted mean grey above 127.5".)
        byte matte = 2 * lumaSum > alphaSum ? (byte)0 : (byte)255;
        new InkTone(matte, Invert: false).Apply(rgba, ink);

        // MNIST is light ink on black. The median of the outermost rows and columns says what the
        // paper looks like; unlike the mean it stays right when strokes run off the edge.
        bool invert = PlaneStatistics.BorderMedian(ink, width, height) > 127;
        if (invert)
        {
            for (int i = 0; i < ink.Length; i++) ink[i] = (byte)(255 - ink[i]);
        }
        return new InkTone(matte, invert);
    }

    /// <summary>Writes the ink plane of a premultiplied RGBA image (4 bytes per ink pixel).</summary>
    public void Apply(ReadOnlySpan<byte> rgba, Span<byte> ink)
    {
        int matte = Matte;
        for (int i = 0, p = 0; i < ink.Length; i++, p += 4)
        {
            // Premultiplied colour over an opaque matte: c + matte·(1 − α).
            int grey = Math.Min(255, Luma.Of(rgba, p) + (matte * (255 - rgba[p + 3]) + 127) / 255);
            ink[i] = (byte)(Invert ? 255 - grey : grey);
        }
    }
}
