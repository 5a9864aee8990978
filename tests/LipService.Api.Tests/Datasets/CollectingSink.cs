using LipService.Api.Datasets;

namespace LipService.Api.Tests.Datasets;

/// <summary>Keeps a copy of every sample a reader hands on.</summary>
internal sealed class CollectingSink : ISampleSink
{
    public List<(byte[] Pixels, int Label)> Samples { get; } = [];

    public void Add(ReadOnlySpan<byte> pixels, int label) => Samples.Add((pixels.ToArray(), label));
}
