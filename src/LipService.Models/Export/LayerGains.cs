using LipService.Models.Attacks;
using LipService.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Export;

/// <summary>
/// Measures <see cref="LayerGain"/> for every linear layer of an exported network on labelled inputs,
/// with one backward pass of the margins through the whole network.
/// </summary>
/// <remarks>
/// A network's gradient norm is the product of what each layer passes back, so the layer that loses
/// gradient norm is the one that keeps the certificates below what the bound allows: this names it.
/// One-output (binary) networks use m = f itself.
/// </remarks>
public static class LayerGains
{
    public static IReadOnlyList<LayerGain> Measure(ExportedNetwork network, Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        var spectra = network.Spectra();
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var x = NetworkLayout.Shape(network.Spec, inputs.detach());
        var ends = new List<(string Name, Tensor In, Tensor Out)>();
        var linear = new HashSet<string>(network.Spec.Layers().Select(l => l.Name));
        foreach (var (name, module) in network.Modules())
        {
            if (!linear.Contains(name))
            {
                x = module.forward(x);
                continue;
            }
            var input = x.requires_grad ? x : x.detach().clone().requires_grad_(true);
            x = module.forward(input);
            ends.Add((name, input, x));
        }
        var margins = Margins(x, labels);
        var gradients = autograd.grad([margins.sum()], [.. ends.SelectMany(e => new[] { e.In, e.Out })]);

        var gains = new LayerGain[ends.Count];
        for (int i = 0; i < ends.Count; i++)
        {
            var into = gradients[2 * i].reshape(gradients[2 * i].shape[0], -1).to(float64).norm(1);
            var outOf = gradients[2 * i + 1].reshape(gradients[2 * i + 1].shape[0], -1).to(float64).norm(1);
            double bound = spectra[i].MaxSingularValue;
            using var divisor = bound.ToScalar();
            var ratio = into.div(outOf).div_(divisor);
            gains[i] = new LayerGain(ends[i].Name, ratio.mean().item<double>(), ratio.min().item<double>(), bound);
        }
        return gains;
    }

    /// <summary>
    /// f_y − max_{j≠y} f_j per sample (<see cref="AttackMargin"/>); f for one output, whose targets are
    /// ±1 rather than label indices, and whose gain does not depend on the margin's sign.
    /// </summary>
    private static Tensor Margins(Tensor scores, Tensor labels) =>
        scores.shape[1] == 1 ? scores.squeeze(1) : AttackMargin.Of(scores, labels.to(int64));
}
