using static TorchSharp.torch;

namespace LipService.Models.Export;

/// <summary>
/// A lower bound on a network's Lipschitz constant: the largest spectral norm of its Jacobian at
/// given inputs. Next to the proven upper bound it shows how tight that bound is for a model.
/// </summary>
/// <remarks>
/// ‖J(x)‖₂ ≤ L at every x where the network is differentiable, so the maximum over samples is a
/// true lower bound. The Jacobian (B, C, features) is built with one backward pass per output; the
/// samples are independent (no batch statistics), so summing an output over the batch gives each
/// sample's own gradient.
/// </remarks>
public static class JacobianNorm
{
    /// <summary>max over the rows of <paramref name="inputs"/> of σ_max(∂f/∂x), in float64.</summary>
    public static double LargestOver(nn.Module<Tensor, Tensor> network, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var x = inputs.detach().clone().requires_grad_(true);
        var outputs = network.forward(x);
        long classes = outputs.shape[1];
        var rows = new Tensor[classes];
        for (long k = 0; k < classes; k++)
        {
            var gradient = autograd.grad([outputs[.., k].sum()], [x], retain_graph: k < classes - 1)[0];
            rows[k] = gradient.reshape(x.shape[0], 1, -1);
        }
        var jacobian = cat(rows, 1).to(float64);
        return linalg.svdvals(jacobian).max().item<double>();
    }
}
