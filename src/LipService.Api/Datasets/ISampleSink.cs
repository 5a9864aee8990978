using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>
/// Receives a dataset's samples one at a time as a reader parses them, so that no upload is ever
/// whole in memory.
/// </summary>
public interface ISampleSink
{
    /// <summary>
    /// One image, <paramref name="pixels"/> holding <see cref="ImageShape.Pixels"/> bytes 0-255 in
    /// channel-major order (all of channel 0 row by row, then channel 1, …), and its label: the
    /// index of its class folder for a zip, the label value for IDX and CSV.
    /// </summary>
    void Add(ReadOnlySpan<byte> pixels, int label);
}
