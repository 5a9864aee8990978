using System.Diagnostics;
using LipService.Models.Certificates;
using LipService.Models.Export;
using LipService.Models.Losses;
using LipService.Models.Networks;
using LipService.Training.Checkpoints;
using LipService.Training.Data;
using LipService.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>
/// The notebook's training loop: Adam on the HKR loss (or the spec's multiclass loss), a reshuffle
/// per epoch, metrics per epoch, a checkpoint after every epoch, cancellation checked every batch.
/// </summary>
/// <remarks>
/// A run resumed from its last checkpoint ends with the same weights as an uninterrupted run on
/// CPU: the checkpoint holds weights, buffers and Adam's state, and the shuffle order is a pure
/// function of (seed, epoch). Each batch runs in its own dispose scope; the only host/device
/// synchronisation is once per epoch (plus the Gram matrices' eigenvalues the reparametrization reads
/// each step).
/// </remarks>
public sealed class LipschitzTrainer
{
    /// <summary>Trains <paramref name="spec"/> on <paramref name="train"/>, validating on <paramref name="test"/> after each epoch; no checkpoints, all on the calling thread.</summary>
    public TrainingResult Train(
        TrainingSpec spec,
        ClassTaskData train,
        ClassTaskData test,
        ITrainingProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var run = new Run(spec, train, test);
        for (int epoch = 1; epoch <= spec.Epochs; epoch++)
        {
            var metrics = run.Epoch(epoch, cancellationToken);
            progress?.EpochCompleted(metrics);
        }
        return run.Finish();
    }

    /// <summary>As <see cref="Train"/>, storing a checkpoint after every epoch.</summary>
    /// <param name="runId">Checkpoint key; a run with an existing checkpoint continues after its last epoch.</param>
    /// <remarks>
    /// The store is awaited between epochs only, where no dispose scope or no_grad block is open
    /// (both are per thread, and the next epoch may continue on another thread). A finished epoch's
    /// checkpoint is written whole even when a stop is requested meanwhile: a stopped run resumes after it.
    /// A store that throws (a lost lease, say) ends the run with its exception.
    /// </remarks>
    public async Task<TrainingResult> TrainAsync(
        TrainingSpec spec,
        ClassTaskData train,
        ClassTaskData test,
        string runId,
        ICheckpointStore checkpoints,
        ITrainingProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        using var run = new Run(spec, train, test);
        if (await checkpoints.LoadAsync(runId, cancellationToken) is { } checkpoint) run.Restore(checkpoint);
        for (int epoch = run.EpochsDone + 1; epoch <= spec.Epochs; epoch++)
        {
            var metrics = run.Epoch(epoch, cancellationToken);
            await checkpoints.SaveAsync(runId, run.Snapshot(), CancellationToken.None);
            progress?.EpochCompleted(metrics);
        }
        return run.Finish();
    }

    /// <summary>One run's network, optimizer, data on the device and history; the network goes to the result, or is disposed with the run.</summary>
    private sealed class Run : IDisposable
    {
        private readonly TrainingSpec spec;
        private readonly TrainingObjective objective;
        private readonly TrainingData trainData;
        private readonly TrainingData testData;
        private readonly LipschitzNetwork network;
        private readonly AdamOptimizer optimizer;
        private readonly List<EpochMetrics> history = [];
        private bool finished;

        /// <summary>The last epoch trained, or restored from a checkpoint.</summary>
        public int EpochsDone { get; private set; }

        public Run(TrainingSpec spec, ClassTaskData train, ClassTaskData test)
        {
            ArgumentNullException.ThrowIfNull(spec);
            this.spec = spec;
            var networkSpec = spec.ToNetworkSpec();
            objective = TrainingObjective.For(spec, networkSpec);
            var device = DeviceSelector.Resolve(spec.Device);
            trainData = new TrainingData(train, device);
            testData = new TrainingData(test, device);
            network = new LipschitzNetwork(networkSpec, new Generator((ulong)spec.Seed));
            network.to(device);
            optimizer = new AdamOptimizer(network.parameters(), spec.LearningRate);
        }

        public void Restore(TrainingCheckpoint checkpoint)
        {
            using (var model = new MemoryStream(checkpoint.ModelState, writable: false))
                network.load(model);
            optimizer.LoadState(checkpoint.OptimizerState);
            history.Clear();
            history.AddRange(checkpoint.History);
            EpochsDone = checkpoint.Epoch;
        }

        public EpochMetrics Epoch(int epoch, CancellationToken cancellationToken)
        {
            var metrics = RunEpoch(spec, objective, network, optimizer, trainData, testData, epoch, cancellationToken);
            history.Add(metrics);
            EpochsDone = epoch;
            return metrics;
        }

        public TrainingCheckpoint Snapshot()
        {
            // Module.save closes its stream; MemoryStream.ToArray still works afterwards.
            var model = new MemoryStream();
            network.save(model);
            return new TrainingCheckpoint(EpochsDone, model.ToArray(), optimizer.SaveState(), [.. history]);
        }

        public TrainingResult Finish()
        {
            network.eval();
            var exported = ExportedNetwork.From(network);
            var certified = Certify(exported, objective, testData);
            double lowerBound = LowerBound(exported, testData);
            var gains = Gains(exported, testData);
            finished = true;
            return new TrainingResult(network, exported, history, certified, lowerBound) { LayerGains = gains };
        }

        public void Dispose()
        {
            if (!finished) network.Dispose();
            optimizer.Dispose();
            testData.Dispose();
            trainData.Dispose();
        }
    }

    private static EpochMetrics RunEpoch(
        TrainingSpec spec, TrainingObjective objective, LipschitzNetwork network, AdamOptimizer optimizer,
        TrainingData train, TrainingData test, int epoch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        network.train();
        double[] trainMeans;
        using (var epochScope = NewDisposeScope())
        {
            var permutation = ShuffleOrder.Permutation(spec.Seed, epoch, train.Count);
            var order = tensor(permutation, device: train.X.device);
            var targets = objective.EpochTargets(train, permutation, order, spec.BatchSize);
            // Weighted sums of [loss, kr, hinge, accuracy]; read once per epoch to avoid a sync per batch.
            var sums = zeros(4, dtype: float64, device: train.X.device);
            double rateScale = spec.LearningRateScale(epoch);
            using var batches = new BatchPrefetcher(train.X, order, spec.BatchSize);
            for (int start = 0; start < train.Count; start += spec.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = Math.Min(spec.BatchSize, train.Count - start);
                using var batchScope = NewDisposeScope();
                using var x = batches.Take(start);
                optimizer.ZeroGrad();
                var terms = objective.Step(network, x, targets.narrow(0, start, size));
                optimizer.Step(rateScale);
                // Scalars are held by `using`: see AdamOptimizer's remarks on TorchSharp's implicit ones.
                using var weight = ((double)size).ToScalar();
                using (no_grad())
                    sums.add_(terms.Stack(), weight);
            }
            using var count = ((double)train.Count).ToScalar();
            trainMeans = sums.div(count).cpu().data<double>().ToArray();
        }
        if (!double.IsFinite(trainMeans[0])) throw new TrainingDivergedException(epoch, trainMeans[0]);

        // Validation sees the weights as they are now, not as of the last training forward.
        network.Refresh();
        var val = Evaluate(network, test, objective);
        return new EpochMetrics(
            epoch, trainMeans[0], trainMeans[1], trainMeans[2], trainMeans[3],
            val[0], val[1], val[2], val[3], clock.Elapsed.TotalSeconds);
    }

    private static double[] Evaluate(LipschitzNetwork network, TrainingData data, TrainingObjective objective)
    {
        network.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var terms = objective.Terms(ScoresOf(network, data.X), data.Y);
            return terms.Stack().to(float64).cpu().data<double>().ToArray();
        }
        finally
        {
            network.train();
        }
    }

    private static IReadOnlyList<CertifiedAccuracyPoint> Certify(ExportedNetwork exported, TrainingObjective objective, TrainingData test)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        return objective.Certify(ScoresOf(exported, test.X), test.Y, exported.LipschitzBound);
    }

    /// <summary>The largest Jacobian norm over the first test samples: a lower bound that shows how tight the proven one is.</summary>
    private static double LowerBound(ExportedNetwork exported, TrainingData test)
    {
        using var scope = NewDisposeScope();
        return JacobianNorm.LargestOver(exported, test.X.narrow(0, 0, Math.Min(LowerBoundSamples, test.Count)));
    }

    /// <summary>What each layer passes back of its bound on the same test samples (<see cref="Models.Export.LayerGains"/>).</summary>
    private static IReadOnlyList<LayerGain> Gains(ExportedNetwork exported, TrainingData test)
    {
        using var scope = NewDisposeScope();
        long count = Math.Min(LowerBoundSamples, test.Count);
        return Models.Export.LayerGains.Measure(exported, test.X.narrow(0, 0, count), test.Y.narrow(0, 0, count));
    }

    /// <summary>
    /// Scores of a whole split, in chunks: a convolution's activations for 10,000 images at once
    /// would take gigabytes; KR is a statistic of the whole split, so it is computed on all scores.
    /// </summary>
    private static Tensor ScoresOf(nn.Module<Tensor, Tensor> network, Tensor x)
    {
        long count = x.shape[0];
        if (count <= EvaluationChunk) return network.forward(x);
        var chunks = new List<Tensor>();
        for (long start = 0; start < count; start += EvaluationChunk)
            chunks.Add(network.forward(x.narrow(0, start, Math.Min(EvaluationChunk, count - start))));
        return cat(chunks, 0);
    }

    private const long EvaluationChunk = 1000;
    private const int LowerBoundSamples = 256;
}
