using LipService.Training.Data;

namespace LipService.Api.Imaging;

/// <summary>MNIST's placement rule: a digit box of at most 20×20 goes on a black 28×28 canvas by its centre of mass.</summary>
internal static class MnistCanvas
{
    public const int Side = MnistFile.ImageSide;
    public const int BoxSide = 20;

    /// <summary>
    /// Where the centre of mass lands, in pixel indices (pixel centres at whole numbers). Measured on
    /// the MNIST test set, the mean is (14.01, 13.99) and every digit rounds to (14, 14), so MNIST's
    /// "centre" is index 14, not the geometric 13.5; matching it keeps inputs where the model saw them.
    /// </summary>
    public const double CentreOfMass = 14.0;

    /// <summary>
    /// Places a <paramref name="width"/>×<paramref name="height"/> box of intensities so its centre of
    /// mass is within half a pixel of <see cref="CentreOfMass"/>.
    /// </summary>
    public static float[] Place(ReadOnlySpan<float> box, int width, int height)
    {
        var canvas = new float[Side * Side];
        double mass = 0, sumX = 0, sumY = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float v = box[y * width + x];
                mass += v;
                sumX += v * x;
                sumY += v * y;
            }
        }
        if (mass <= 0) return canvas;

        // Whole-pixel shifts, as MNIST did: a sub-pixel shift would blur every stroke. The clamp only
        // matters for lopsided digits and keeps every stroke on the canvas.
        int left = Math.Clamp((int)Math.Round(CentreOfMass - sumX / mass), 0, Side - width);
        int top = Math.Clamp((int)Math.Round(CentreOfMass - sumY / mass), 0, Side - height);
        for (int y = 0; y < height; y++)
        {
            box.Slice(y * width, width).CopyTo(canvas.AsSpan((top + y) * Side + left, width));
        }
        return canvas;
    }
}
