namespace LipService.Api.Tests.Imaging;

/// <summary>Comparisons of preprocessed digits with MNIST originals and checks of their layout.</summary>
internal static class DigitMetrics
{
    public const int Side = 28;

    public static double MeanAbsoluteDifference(float[] actual, byte[] mnist) =>
        actual.Zip(mnist, (a, m) => Math.Abs(a - m / 255.0)).Average();

    public static double MeanAbsoluteDifference(float[] actual, float[] expected) =>
        actual.Zip(expected, (a, e) => (double)Math.Abs(a - e)).Average();

    public static double MaxAbsoluteDifference(float[] actual, float[] expected) =>
        actual.Zip(expected, (a, e) => (double)Math.Abs(a - e)).Max();

    /// <summary>Pearson correlation over the 784 pixels.</summary>
    public static double Correlation(float[] actual, byte[] mnist)
    {
        double meanA = actual.Average(), meanM = mnist.Average(m => (double)m);
        double cov = 0, varA = 0, varM = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i] - meanA, m = mnist[i] - meanM;
            cov += a * m;
            varA += a * a;
            varM += m * m;
        }
        return cov / Math.Sqrt(varA * varM);
    }

    /// <summary>
    /// The best <see cref="Correlation"/> over whole-pixel shifts of up to one pixel. MNIST centres by
    /// rounding the centre of mass to a whole pixel; when an original's centre lies near a half pixel,
    /// resampling noise can round the other way and move an otherwise identical digit by one pixel.
    /// </summary>
    public static double ShiftTolerantCorrelation(float[] actual, byte[] mnist)
    {
        double best = double.MinValue;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++) best = Math.Max(best, Correlation(Shift(actual, dx, dy), mnist));
        }
        return best;
    }

    private static float[] Shift(float[] pixels, int dx, int dy)
    {
        var shifted = new float[pixels.Length];
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                int sx = x - dx, sy = y - dy;
                if (sx is >= 0 and < Side && sy is >= 0 and < Side) shifted[y * Side + x] = pixels[sy * Side + sx];
            }
        }
        return shifted;
    }

    /// <summary>Centre of mass in pixel indices: pixel (x, y) has its centre at (x, y).</summary>
    public static (double X, double Y) CentreOfMass(float[] pixels)
    {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            mass += pixels[i];
            x += pixels[i] * (i % Side);
            y += pixels[i] * (i / Side);
        }
        return (x / mass, y / mass);
    }

    /// <summary>Width and height of the box holding every non-zero pixel.</summary>
    public static (int Width, int Height) InkExtent(float[] pixels)
    {
        (_, _, int width, int height) = InkBox(pixels);
        return (width, height);
    }

    /// <summary>The box holding every non-zero pixel; zero-sized when there is none.</summary>
    public static (int Left, int Top, int Width, int Height) InkBox(float[] pixels)
    {
        int left = Side, right = -1, top = Side, bottom = -1;
        for (int i = 0; i < pixels.Length; i++)
        {
            if (pixels[i] <= 0) continue;
            left = Math.Min(left, i % Side);
            right = Math.Max(right, i % Side);
            top = Math.Min(top, i / Side);
            bottom = Math.Max(bottom, i / Side);
        }
        return right < 0 ? (0, 0, 0, 0) : (left, top, right - left + 1, bottom - top + 1);
    }
}
