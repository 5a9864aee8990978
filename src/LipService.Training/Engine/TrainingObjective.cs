using LipService.Models.Certificates;
using LipService.Models.Losses;
using LipService.Models.Networks;
using LipService.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>
/// What a spec optimizes and how its model is certified: the notebook's binary HKR on one output,
/// or a multiclass loss on one output per class. Either way the metrics are [loss, KR, hinge,
/// accuracy], so epochs read alike whatever the task.
/// </summary>
internal abstract class TrainingObjective
{
    public static TrainingObjective For(TrainingSpec spec, LipschitzNetworkSpec network) => spec.IsBinary
        ? new Binary(spec.Alpha, spec.MinMargin)
        : new Multiclass(spec.Loss, spec.Alpha, spec.MinMargin, spec.Tau, network.Coupling);

    /// <summary>The loss (with its graph) and the four metrics.</summary>
    public abstract HkrTerms Terms(Tensor scores, Tensor y);

    /// <summary>
    /// The targets of an epoch's samples in <paramref name="order"/>, one row per sample: a training
    /// batch reads its rows (a narrow along dimension 0) with <see cref="BatchTerms"/>.
    /// </summary>
    public abstract Tensor EpochTargets(TrainingData data, long[] order, Tensor orderOnDevice, int batchSize);

    /// <summary><see cref="Terms"/> for a training batch, from its rows of <see cref="EpochTargets"/>.</summary>
    public abstract HkrTerms BatchTerms(Tensor scores, Tensor targets);

    /// <summary>Forward and backward of a training batch: the parameters' gradients grow by the batch's.</summary>
    /// <returns>The batch's terms; only their values are read afterwards.</returns>
    public virtual HkrTerms Step(LipschitzNetwork network, Tensor x, Tensor targets)
    {
        var terms = BatchTerms(network.forward(x), targets);
        terms.Loss.backward();
        return terms;
    }

    public abstract IReadOnlyList<CertifiedAccuracyPoint> Certify(Tensor scores, Tensor y, double lipschitzBound);

    private sealed class Binary(double alpha, double margin) : TrainingObjective
    {
        public override HkrTerms Terms(Tensor scores, Tensor y) => HkrLoss.Compute(scores, y, alpha, margin);

        public override Tensor EpochTargets(TrainingData data, long[] order, Tensor orderOnDevice, int batchSize)
        {
            var labels = data.BinaryTargets ?? throw new InvalidOperationException("A binary objective needs a two-class task.");
            var rows = HkrBatchTargets.ForBatches(labels, order, batchSize);
            return tensor(rows, [order.Length, HkrBatchTargets.Columns], device: orderOnDevice.device);
        }

        public override HkrTerms BatchTerms(Tensor scores, Tensor targets) => HkrBatchTargets.Compute(scores, targets, alpha, margin);

        // The notebook's kind of network trains without autograd (DenseHkrStep); any other through it.
        private (LipschitzNetwork Network, DenseHkrStep? Step)? fused;

        public override HkrTerms Step(LipschitzNetwork network, Tensor x, Tensor targets)
        {
            if (fused?.Network != network) fused = (network, DenseHkrStep.TryCreate(network, alpha, margin));
            return fused.Value.Step is { } step ? step.Run(x, targets) : base.Step(network, x, targets);
        }

        public override IReadOnlyList<CertifiedAccuracyPoint> Certify(Tensor scores, Tensor y, double lipschitzBound)
            => BinaryCertificates.CertifiedAccuracy(scores, y, lipschitzBound);
    }

    /// <param name="margin">HKR's m and the reported hinge's, μ of pairwise-hinge and offset-cce.</param>
    /// <param name="tau">τ of tau-cce; offset-cce's temperature is T = 1/τ.</param>
    /// <remarks>KR and the one-vs-all hinge (margin <paramref name="margin"/>) are reported whatever the loss.</remarks>
    private sealed class Multiclass(LossKind kind, double alpha, double margin, double tau, OutputCoupling coupling) : TrainingObjective
    {
        public override HkrTerms Terms(Tensor scores, Tensor y)
        {
            var kr = MulticlassLosses.KR(scores, y);
            var hinge = MulticlassLosses.Hinge(scores, y, margin);
            Tensor loss;
            switch (kind)
            {
                case LossKind.Hkr:
                    using (var weight = alpha.ToScalar()) loss = hinge.mul(weight).sub_(kr);
                    break;
                case LossKind.TauCrossEntropy:
                    loss = MulticlassLosses.TauCategoricalCrossentropy(scores, y, tau);
                    break;
                case LossKind.PairwiseHinge:
                    loss = MulticlassLosses.PairwiseHinge(scores, y, margin);
                    break;
                case LossKind.OffsetCrossEntropy:
                    loss = MulticlassLosses.OffsetCrossEntropy(scores, y, offset: margin, temperature: 1 / tau);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss.");
            }
            return new HkrTerms(loss, kr, hinge, MulticlassLosses.Accuracy(scores, y));
        }

        public override Tensor EpochTargets(TrainingData data, long[] order, Tensor orderOnDevice, int batchSize)
            => data.Y.index_select(0, orderOnDevice);

        public override HkrTerms BatchTerms(Tensor scores, Tensor targets) => Terms(scores, targets);

        public override IReadOnlyList<CertifiedAccuracyPoint> Certify(Tensor scores, Tensor y, double lipschitzBound)
            => MulticlassCertificates.CertifiedAccuracy(scores, y, lipschitzBound, coupling);
    }
}
