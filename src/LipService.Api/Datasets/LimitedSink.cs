namespace LipService.Api.Datasets;

/// <summary>Passes samples on until <paramref name="room"/> of them have passed, then refuses with the given error.</summary>
internal sealed class LimitedSink(ISampleSink inner, long room, Func<DatasetRejectedException> refusal) : ISampleSink
{
    private long left = room;

    public void Add(ReadOnlySpan<byte> pixels, int label)
    {
        if (left-- <= 0) throw refusal();
        inner.Add(pixels, label);
    }
}
