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
/// The notebook's training loop: Adam on the HKR loss, a reshuffle per epoch, metrics per epoch,
/// a checkpoint after every epoch, cancellation checked every batch.
/// </summary>
/// <remarks>
/// A run resumed from its last checkpoint ends with the same weights as an uninterrupted run on
/// CPU: the checkpoint holds weights, buffers and Adam's state, and the shuffle order is a pure
/// function of (seed, epoch). Each batch runs in its own dispose scope; the only host/device
/// synchronisation is once per epoch (plus the stopping tests of the normalization loops).
/// </remarks>
public sealed class HkrTrainer
{
    /// <summary>Trains <paramref name="spec"/> on <paramref name="train"/>, validating on <paramref name="test"/> after each epoch.</summary>
    /// <param name="runId">Checkpoint key; a run with an existing checkpoint continues after its last epoch.</param>
    public TrainingResult Train(
        TrainingSpec spec,
        BinaryTaskData train,
        BinaryTaskData test,
        string runId,
        ICheckpointStore? checkpoints = null,
        ITrainingProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var networkSpec = spec.ToNetworkSpec();
        var device = DeviceSelector.Resolve(spec.Device);

        using var trainData = new TrainingData(train, device);
        using var testData = new TrainingData(test, device);
        var generator = new Generator((ulong)spec.Seed);
        var network = new LipschitzNetwork(networkSpec, generator);
        network.to(device);
        using var optimizer = new AdamOptimizer(network.parameters(), spec.LearningRate);
        var history = new List<EpochMetrics>();

        int startEpoch = 0;
        var checkpoint = checkpoints?.Load(runId);
        if (checkpoint is not null)
        {
            Restore(network, optimizer, checkpoint);
            history.AddRange(checkpoint.History);
            startEpoch = checkpoint.Epoch;
        }

        try
        {
            for (int epoch = startEpoch + 1; epoch <= spec.Epochs; epoch++)
            {
                var metrics = RunEpoch(spec, network, optimizer, trainData, testData, epoch, cancellationToken);
                history.Add(metrics);
                checkpoints?.Save(runId, Snapshot(network, optimizer, epoch, history));
                progress?.EpochCompleted(metrics);
            }

            network.eval();
            var exported = ExportedNetwork.From(network);
            var certified = Certify(exported, testData);
            return new TrainingResult(network, exported, history, certified);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static EpochMetrics RunEpoch(
        TrainingSpec spec, LipschitzNetwork network, AdamOptimizer optimizer,
        TrainingData train, TrainingData test, int epoch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        network.train();
        double[] trainMeans;
        using (var epochScope = NewDisposeScope())
        {
            var order = tensor(ShuffleOrder.Permutation(spec.Seed, epoch, train.Count), device: train.X.device);
            // Weighted sums of [loss, kr, hinge, accuracy]; read once per epoch to avoid a sync per batch.
            var sums = zeros(4, dtype: float64, device: train.X.device);
            for (int start = 0; start < train.Count; start += spec.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = Math.Min(spec.BatchSize, train.Count - start);
                using var batchScope = NewDisposeScope();
                var index = order.narrow(0, start, size);
                var x = train.X.index_select(0, index);
                var y = train.Y.index_select(0, index);
                optimizer.ZeroGrad();
                var terms = HkrLoss.Compute(network.forward(x), y, spec.Alpha, spec.MinMargin);
                terms.Loss.backward();
                optimizer.Step();
                // Scalars are held by `using`: see AdamOptimizer's remarks on TorchSharp's implicit ones.
                using var weight = ((double)size).ToScalar();
                sums.add_(terms.Stack().to(float64), weight);
            }
            using var count = ((double)train.Count).ToScalar();
            trainMeans = sums.div(count).cpu().data<double>().ToArray();
        }

        // Validation sees the weights as they are now, not as of the last training forward.
        network.Refresh();
        var val = Evaluate(network, test, spec);
        return new EpochMetrics(
            epoch, trainMeans[0], trainMeans[1], trainMeans[2], trainMeans[3],
            val[0], val[1], val[2], val[3], clock.Elapsed.TotalSeconds);
    }

    private static double[] Evaluate(LipschitzNetwork network, TrainingData data, TrainingSpec spec)
    {
        network.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var terms = HkrLoss.Compute(network.forward(data.X), data.Y, spec.Alpha, spec.MinMargin);
            return terms.Stack().to(float64).cpu().data<double>().ToArray();
        }
        finally
        {
            network.train();
        }
    }

    private static IReadOnlyList<CertifiedAccuracyPoint> Certify(ExportedNetwork exported, TrainingData test)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var scores = exported.forward(test.X);
        return BinaryCertificates.CertifiedAccuracy(scores, test.Y, exported.LipschitzBound);
    }

    private static TrainingCheckpoint Snapshot(LipschitzNetwork network, AdamOptimizer optimizer, int epoch, List<EpochMetrics> history)
    {
        // Module.save closes its stream; MemoryStream.ToArray still works afterwards.
        var model = new MemoryStream();
        network.save(model);
        return new TrainingCheckpoint(epoch, model.ToArray(), optimizer.SaveState(), [.. history]);
    }

    private static void Restore(LipschitzNetwork network, AdamOptimizer optimizer, TrainingCheckpoint checkpoint)
    {
        using (var model = new MemoryStream(checkpoint.ModelState, writable: false))
            network.load(model);
        optimizer.LoadState(checkpoint.OptimizerState);
    }
}
