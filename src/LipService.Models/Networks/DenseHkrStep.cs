using LipService.Models.Activations;
using LipService.Models.Layers;
using LipService.Models.Losses;
using LipService.Models.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Networks;

/// <summary>
/// One training step of the notebook's kind of network — SpectralDense layers with GroupSort2, a
/// one-output FrobeniusDense head, the default normalization — on the binary HKR loss, with the
/// gradients written out layer by layer instead of recorded by autograd.
/// </summary>
/// <remarks>
/// At the notebook's sizes a step is ~100 small native calls, and recording them for autograd
/// (graph nodes, saved tensors, the engine's walk back, TorchSharp's custom-function plumbing) cost
/// about a fifth of it. The arithmetic is the one autograd would do — the forward of
/// <see cref="SpectralDense"/> (x·W̄ᵀ = (x·Wᵀ)·M), GroupSort2, <see cref="FrobeniusDense"/> and
/// <see cref="HkrBatchTargets"/>, and their exact derivatives, with M's through
/// <see cref="SpectralBjorckFunction.WeightGradient"/> — and the tests hold it to autograd's gradients.
/// Gradients are added to the parameters' <c>grad</c> as backward would; buffers follow as after a
/// training forward.
/// </remarks>
public sealed class DenseHkrStep
{
    private readonly SpectralDense[] hidden;
    private readonly FrobeniusDense head;
    private readonly double alpha;
    private readonly double minMargin;

    private DenseHkrStep(SpectralDense[] hidden, FrobeniusDense head, double alpha, double minMargin)
    {
        this.hidden = hidden;
        this.head = head;
        this.alpha = alpha;
        this.minMargin = minMargin;
    }

    /// <summary>The step for <paramref name="network"/>, or null when it is not of the kind above (autograd then trains it).</summary>
    public static DenseHkrStep? TryCreate(LipschitzNetwork network, double alpha, double minMargin)
    {
        ArgumentNullException.ThrowIfNull(network);
        var spec = network.Spec;
        if (spec.IsConvolutional || spec.Activation != ActivationKind.GroupSort2 || spec.Outputs != 1
            || spec.OutputLayer != OutputLayerKind.Frobenius || spec.Normalization != NormalizationPreset.Default)
            return null;
        var layers = network.LinearLayers;
        if (layers[^1] is not FrobeniusDense head) return null;
        var hidden = new SpectralDense[layers.Count - 1];
        for (int i = 0; i < hidden.Length; i++)
        {
            if (layers[i] is not SpectralDense { Options.StopGradientThroughU: true } dense) return null;
            hidden[i] = dense;
        }
        return new DenseHkrStep(hidden, head, alpha, minMargin);
    }

    /// <summary>Forward and backward of one batch; the parameters' gradients grow by this batch's.</summary>
    /// <param name="x">(B, features) inputs.</param>
    /// <param name="targets">The batch's rows of <see cref="HkrBatchTargets.ForBatches"/>.</param>
    /// <returns>The batch's [loss, KR, hinge, accuracy], without a graph.</returns>
    public HkrTerms Run(Tensor x, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var _ = no_grad();
        var saved = new Layer[hidden.Length];
        var activations = x.reshape(x.shape[0], -1);
        for (int i = 0; i < hidden.Length; i++)
        {
            saved[i] = Layer.Forward(hidden[i], activations);
            activations = saved[i].Output;
        }
        var normalizedHead = head.Normalize();
        var scores = nn.functional.linear(activations, normalizedHead, head.Bias);
        var (terms, gradScores) = HkrBatchTargets.ComputeWithGradient(scores, targets, alpha, minMargin);

        HeadBackward(activations, normalizedHead, gradScores, out var gradActivations);
        for (int i = hidden.Length - 1; i >= 0; i--)
            gradActivations = saved[i].Backward(gradActivations, needInputGradient: i > 0);
        return terms;
    }

    /// <summary>f = a·ŵᵀ + b with ŵ = w/‖w‖: ∂w = (∂ŵ − (∂ŵ·ŵ)ŵ)/‖w‖ with ∂ŵ = ∂fᵀ·a; ∂a = ∂f·ŵ.</summary>
    private void HeadBackward(Tensor input, Tensor normalized, Tensor gradScores, out Tensor gradInput)
    {
        var kernel = head.Kernel;
        var gradNormalized = gradScores.t().mm(input);
        var radial = gradNormalized.mul(normalized).sum();
        var gradKernel = gradNormalized.sub_(normalized.mul(radial)).div_(kernel.norm());
        Accumulate(kernel, gradKernel);
        if (head.Bias is { } bias) Accumulate(bias, gradScores.sum(dim: 0));
        gradInput = gradScores.mm(normalized);
    }

    private static void Accumulate(Tensor parameter, Tensor gradient)
    {
        if (parameter.grad is { } existing) existing.add_(gradient, HeldScalars.One);
        else parameter.grad = gradient.clone();
    }

    /// <summary>What one SpectralDense + GroupSort2 forward keeps for its backward.</summary>
    private sealed class Layer
    {
        private SpectralDense dense = null!;
        private Tensor input = null!;
        private Tensor projected = null!;   // x·Wᵀ (rows) or x·M (columns)
        private Tensor factor = null!;
        private Tensor vectors = null!;
        private GramSpectrum spectrum = null!;
        private Tensor order = null!;       // GroupSort2's sort indices

        public Tensor Output { get; private set; } = null!;

        public static Layer Forward(SpectralDense dense, Tensor input)
        {
            var (spectrum, vectors) = GramSpectrum.Of(dense.Kernel, dense.Options);
            var factor = SpectralBjorckFunction.Factor(vectors, spectrum, dense.Kernel.dtype);
            var layer = new Layer { dense = dense, input = input, factor = factor, vectors = vectors, spectrum = spectrum };
            var preActivation = dense.ThroughFactor(input, factor, spectrum.Rows, out layer.projected);
            dense.KernelTrained();
            var (sorted, order) = preActivation.view(-1, 2).sort(dim: -1);
            layer.order = order;
            layer.Output = sorted.view(preActivation.shape);
            return layer;
        }

        /// <returns>The gradient of the layer's input, or null when <paramref name="needInputGradient"/> is false.</returns>
        public Tensor Backward(Tensor gradOutput, bool needInputGradient)
        {
            // A pair's sort is its own inverse permutation: gathering with it undoes it.
            var gradPre = gradOutput.view(-1, 2).gather(1, order).view(gradOutput.shape);
            var kernel = dense.Kernel;
            if (dense.Bias is { } bias) Accumulate(bias, gradPre.sum(dim: 0));
            Tensor gradFactor, gradKernel, gradInput;
            if (spectrum.Rows)
            {
                // z = (x·Wᵀ)·M + b, M symmetric.
                gradFactor = projected.t().mm(gradPre);
                var gradProjected = gradPre.mm(factor);
                gradKernel = gradProjected.t().mm(input);
                gradInput = needInputGradient ? gradProjected.mm(kernel) : null!;
            }
            else
            {
                // z = (x·M)·Wᵀ + b.
                gradKernel = gradPre.t().mm(projected);
                var gradProjected = gradPre.mm(kernel);
                gradFactor = input.t().mm(gradProjected);
                gradInput = needInputGradient ? gradProjected.mm(factor) : null!;
            }
            gradKernel.add_(SpectralBjorckFunction.WeightGradient(gradFactor, kernel, vectors, spectrum), HeldScalars.One);
            Accumulate(kernel, gradKernel);
            return gradInput;
        }
    }
}
