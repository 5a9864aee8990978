using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Models.Attacks;

/// <summary>
/// Untargeted projected-gradient descent in L2 on <see cref="AttackMargin"/>, each sample confined
/// to its own ball ‖δ‖ ≤ budget and to the pixel box [0, 1].
/// </summary>
/// <remarks>
/// Each step moves by <c>stepFraction</c> × budget along the normalized gradient, then projects onto
/// the ball and clamps to the box. Clamping never lengthens δ (each pixel of x lies in [0, 1], so
/// clamping x + δ moves every coordinate of δ towards 0), so every iterate lies in both sets, up to
/// the float32 rounding of x + δ and of the budget.
/// Every iterate is scored, not just the last: a flip at any step counts, and distances are those of
/// the float32 inputs the network saw (computed in float64), not of the δ before rounding.
/// Gradients are taken with <c>autograd.grad</c> with respect to the input only, so nothing is
/// accumulated into the network's parameters: a served network is shared by concurrent requests.
/// </remarks>
public static class L2Pgd
{
    /// <summary>Runs up to <paramref name="steps"/> steps from x itself, fewer when <paramref name="stop"/> says so.</summary>
    /// <param name="x">(B, D) inputs in [0, 1], float32.</param>
    /// <param name="labels">(B) int64 label indices to move away from (see <see cref="AttackMargin"/>).</param>
    /// <param name="budget">(B) L2 radii.</param>
    /// <param name="stop">Asked before every gradient step; true ends the run with what it has seen.</param>
    public static L2PgdResult Run(nn.Module<Tensor, Tensor> network, Tensor x, Tensor labels, Tensor budget, int steps, double stepFraction, Func<bool>? stop = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (!(stepFraction > 0)) throw new ArgumentOutOfRangeException(nameof(stepFraction), stepFraction, "The step is a positive fraction of the budget.");

        // Serving scores under inference mode; gradients need autograd back on this thread.
        using var _ = enable_grad();
        long count = x.shape[0];
        var origin = x.detach();
        var origin64 = origin.to(float64);
        var radius = budget.to(float32).unsqueeze(1);
        using var fraction = stepFraction.ToScalar();
        using var infinity = double.PositiveInfinity.ToScalar();
        using var tiny = 1e-12.ToScalar();
        var step = radius.mul(fraction);
        var adversarial = origin.clone();
        var lowest = full(count, infinity, dtype: float64);
        var largest = zeros(count, dtype: float64);
        var flipped = zeros(count, dtype: @bool);
        var closest = origin.clone();
        var closestDistance = full(count, infinity, dtype: float64);
        int taken = 0;
        for (int i = 0; ; i++)
        {
            using var stepScope = NewDisposeScope();
            var a = adversarial.clone().requires_grad_();
            var scores = network.forward(a);
            var margin = AttackMargin.Of(scores, labels);
            var seen = a.detach();
            var distance = (seen.to(float64) - origin64).norm(1);
            var flips = AttackMargin.Predicted(scores.detach()).ne(labels);
            lowest.copy_(minimum(lowest, margin.detach().to(float64)));
            largest.copy_(maximum(largest, distance));
            flipped.logical_or_(flips);
            var nearer = flips.logical_and(distance.lt(closestDistance));
            closestDistance.copy_(where(nearer, distance, closestDistance));
            closest.copy_(where(nearer.unsqueeze(1), seen, closest));
            if (i == steps || (stop?.Invoke() ?? false)) break;

            var grad = autograd.grad([margin.sum()], [a])[0];
            taken++;
            var direction = grad / grad.norm(1, keepdim: true).add_(tiny, HeldScalars.One);
            var delta = seen - step * direction - origin;
            var norms = delta.norm(1, keepdim: true);
            delta = delta * minimum(ones_like(norms), radius / norms.add_(tiny, HeldScalars.One));
            adversarial.copy_(origin.add(delta, HeldScalars.One).clamp_(HeldScalars.Zero, HeldScalars.One));
        }
        return new L2PgdResult(lowest, largest, flipped, closest, closestDistance, taken);
    }
}
