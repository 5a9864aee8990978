using System.Diagnostics;
using LipService.Api.Contracts;
using LipService.Models.Attacks;
using LipService.Models.Certificates;
using LipService.Models.Export;
using LipService.Training.Jobs;
using static TorchSharp.torch;

namespace LipService.Api.Serving;

/// <summary>A stored model ready to score images; owned by <see cref="ModelCache"/>, which disposes it on eviction.</summary>
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
        WarmUp();
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

    /// <summary>
    /// Searches for the nearest image that gets another label than <paramref name="label"/>, the label
    /// served for <paramref name="image"/> with the certified radius <paramref name="certifiedRadius"/>
    /// (see <see cref="SmallestFlipSearch"/>).
    /// </summary>
    /// <remarks>
    /// The search runs on the libtorch network, which may round differently from the managed scorer
    /// that answers /predict; so every candidate, nearest first, is scored again by <see cref="Score(float[], int)"/>
    /// and the first that really gets another label is the answer. Like scoring, this runs without a
    /// lock: the search only reads the network and takes gradients with respect to the input.
    /// </remarks>
    public VerifiedAttack Attack(float[] image, int label, double certifiedRadius, int steps, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var classes = Record.Spec.Classes;
        int index = -1;
        for (int i = 0; i < classes.Count && index < 0; i++) if (classes[i] == label) index = i;
        if (index < 0) throw new ArgumentException($"{label} is not one of the model's classes.", nameof(label));

        var clock = Stopwatch.StartNew();
        var search = SmallestFlipSearch.Run(network, image, index, certifiedRadius, steps, timeLimit, cancellationToken);
        var labels = new int[1];
        var radii = new double[1];
        foreach (var candidate in search.Candidates)
        {
            CertifiedAnswers.Compute(this, Score(candidate.Image, 1), labels, radii);
            if (labels[0] == label) continue;
            return new VerifiedAttack(candidate.Image, labels[0], Distance(candidate.Image, image), search.Steps, clock.Elapsed, search.SearchedRadius);
        }
        return new VerifiedAttack(null, null, null, search.Steps, clock.Elapsed, search.SearchedRadius);
    }

    /// <summary>‖a − b‖ in float64 from the float32 values, the distance between the inputs the model saw.</summary>
    private static double Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Scores the images laid out one after another (784 values each) into <paramref name="scores"/>.</summary>
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

    /// <summary>
    /// Scores blank digits once through libtorch and a few dozen times through the managed scorer:
    /// the process's first libtorch forward (thread pool, allocator) and the scoring code's first
    /// calls and tier-up are paid at load, not by the first requests.
    /// </summary>
    private void WarmUp()
    {
        int batch = Math.Max(1, managedBatchLimit + 1);
        var blank = new float[batch * network.Spec.InputSize];
        Score(blank, batch);
        for (int i = 0; i < TierUpCalls; i++) Score(blank, 1);
    }

    /// <summary>Calls that take a method past the 30 after which the runtime recompiles it with full optimization.</summary>
    internal const int TierUpCalls = 32;

    /// <summary>Hands the network back for reuse (see <see cref="ExportedNetwork"/>); only the first call does.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) network.Dispose();
    }

    private int disposed;
}
