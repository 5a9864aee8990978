using static TorchSharp.torch;

namespace LipService.Training.Tests.Engine;

/// <summary>
/// Untargeted projected-gradient descent in L2 on the multiclass margin f_y − max_{k≠y} f_k, each
/// sample confined to its own ball ‖δ‖ ≤ budget and to the pixel box [0, 1].
/// </summary>
/// <remarks>
/// Each step moves by <c>stepFraction</c> × budget along the normalized gradient, then projects onto
/// the ball and clamps to the box. Clamping never lengthens δ (each pixel of x lies in [0, 1], so
/// clamping x + δ moves every coordinate of δ towards 0), so every iterate lies in both sets, up to
/// the float32 rounding of x + δ and of the budget.
/// Every iterate is scored, not just the last: <see cref="Result.LowestMargin"/> is the smallest
/// margin seen anywhere along the path, and a flip at any step counts.
/// </remarks>
internal static class L2Attack
{
    /// <summary>What the attack reached; each tensor is (B): the lowest margin and the largest ‖x′ − x‖ seen (float64), and whether any iterate was misclassified (bool).</summary>
    public sealed record Result(Tensor LowestMargin, Tensor LargestNorm, Tensor Flipped);

    /// <summary>f_y − max_{k≠y} f_k per row of <paramref name="scores"/> (B, C).</summary>
    public static Tensor Margin(Tensor scores, Tensor labels)
    {
        var mask = nn.functional.one_hot(labels, scores.shape[1]).to(@bool);
        var own = scores.masked_select(mask);
        var others = scores.masked_fill(mask, double.NegativeInfinity).max(1).values;
        return own - others;
    }

    /// <summary>Runs <paramref name="steps"/> steps from x itself; the returned tensors are in the caller's dispose scope.</summary>
    public static Result Run(nn.Module<Tensor, Tensor> network, Tensor x, Tensor labels, Tensor budget, int steps, double stepFraction)
    {
        using var _ = enable_grad();
        var radius = budget.to(float32).unsqueeze(1);
        var step = radius * stepFraction;
        var adversarial = x.detach().clone();
        var origin = x.to(float64);
        var lowest = full(x.shape[0], double.PositiveInfinity, dtype: float64);
        var largest = zeros(x.shape[0], dtype: float64);
        var flipped = zeros(x.shape[0], dtype: @bool);
        for (int i = 0; i <= steps; i++)
        {
            using var stepScope = NewDisposeScope();
            var a = adversarial.detach().requires_grad_();
            var scores = network.forward(a);
            var margin = Margin(scores, labels);
            // This iterate is scored before the next step moves it; its distance is the one the
            // network saw (float64 difference of the float32 inputs, not the δ before rounding).
            lowest.copy_(minimum(lowest, margin.detach().to(float64)));
            flipped.logical_or_(scores.detach().argmax(1).ne(labels));
            largest.copy_(maximum(largest, (a.detach().to(float64) - origin).norm(1)));
            if (i == steps) break;

            margin.sum().backward();
            var grad = a.grad!;
            var direction = grad / (grad.norm(1, keepdim: true) + 1e-12);
            var delta = a.detach() - step * direction - x;
            var norms = delta.norm(1, keepdim: true);
            delta = delta * minimum(ones_like(norms), radius / (norms + 1e-12));
            adversarial = (x + delta).clamp(0, 1).MoveToOuterDisposeScope();
        }
        return new Result(lowest, largest, flipped);
    }
}
