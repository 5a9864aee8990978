namespace LipService.Training.Engine;

/// <summary>
/// The sample order of an epoch, a pure function of (seed, epoch): a resumed run needs no saved
/// random-number state to shuffle exactly as an uninterrupted one.
/// </summary>
public static class ShuffleOrder
{
    public static long[] Permutation(int seed, int epoch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // System.Random(int) is the stable legacy generator: same sequence on every runtime.
        var random = new Random(MixSeed(seed, epoch));
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static int MixSeed(int seed, int epoch)
    {
        // SplitMix64 finaliser: neighbouring (seed, epoch) pairs give unrelated streams.
        ulong z = ((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
