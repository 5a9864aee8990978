using LipService.Api.Contracts;
using LipService.Models.Certificates;
using LipService.Models.Export;
using LipService.Training.Jobs;
using static TorchSharp.torch;

namespace LipService.Api.Serving;

/// <summary>A stored model ready to score digits; owned by <see cref="ModelCache"/>, which disposes it on eviction.</summary>
public sealed class LoadedModel : IDisposable
{
    private readonly ExportedNetwork network;
    private readonly ManagedScorer? scorer;
    private readonly int managedBatchLimit;

    public LoadedModel(ModelRecord record, byte[] weights, int managedBatchLimit)
    {
        Record = record;
        network = ExportedNetwork.Deserialize(record.Spec.ToNetworkSpec(), weights);
        scorer = ManagedScorer.TryCreate(network);
        this.managedBatchLimit = managedBatchLimit;
    }

    public ModelRecord Record { get; }

    /// <summary>Recomputed from the loaded weights, never taken from the stored record.</summary>
    public double LipschitzBound => network.LipschitzBound;

    /// <summary>Whether the outputs are jointly Lipschitz (√2 certificates) or only each one (2).</summary>
    public OutputCoupling Coupling => network.Spec.Coupling;

    /// <summary>Scores per image.</summary>
    public int Outputs => network.Spec.Outputs;

    /// <summary>f(x) for each image of <paramref name="batch"/>: <see cref="Outputs"/> values per image, one image after another.</summary>
    public float[] Score(PixelBatch batch)
    {
        var scores = new float[batch.Count * Outputs];
        if (scorer is not null && batch.Count <= managedBatchLimit)
        {
            for (int i = 0; i < batch.Count; i++) scorer.Score(batch.Image(i), scores.AsSpan(i, 1));
            return scores;
        }
        ScoreWithLibtorch(batch.ToFlatArray(), scores);
        return scores;
    }

    /// <summary>
    /// f(x) for <paramref name="count"/> images laid out one after another at the start of
    /// <paramref name="pixels"/> (784 values each); what follows them (a pooled array is longer) is ignored.
    /// </summary>
    public float[] Score(float[] pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count < 1 || pixels.Length < count * network.Spec.InputSize)
            throw new ArgumentException($"{pixels.Length} values cannot hold {count} images of {network.Spec.InputSize}.", nameof(pixels));
        var scores = new float[count * Outputs];
        if (scorer is not null && count <= managedBatchLimit)
        {
            int size = network.Spec.InputSize;
            for (int i = 0; i < count; i++) scorer.Score(pixels.AsSpan(i * size, size), scores.AsSpan(i, 1));
            return scores;
        }
        ScoreWithLibtorch(pixels, scores);
        return scores;
    }

    /// <summary>Scores the digits laid out one after another (784 values each) into <paramref name="scores"/>.</summary>
    /// <remarks>
    /// Called from many requests at once without a lock: the exported network is fixed weights and
    /// stateless layers (Linear, Conv2d, pooling, GroupSort) put in eval mode when loaded, so forward
    /// only reads them, and the dispose scope and inference mode are per thread. Serialising here cost
    /// 15 % of binary-inference throughput (bench/http); LoadedModelConcurrencyTests checks the answers.
    /// </remarks>
    private void ScoreWithLibtorch(float[] pixels, Span<float> scores)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        // from_array pins the array instead of copying it; narrow leaves out a pooled array's tail.
        int count = scores.Length / Outputs;
        var x = from_array(pixels).narrow(0, 0, count * network.Spec.InputSize).reshape(count, network.Spec.InputSize);
        network.forward(x).reshape(-1).data<float>().CopyTo(scores);
    }

    /// <summary>Hands the network back for reuse (see <see cref="ExportedNetwork"/>); only the first call does.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) network.Dispose();
    }

    private int disposed;
}
