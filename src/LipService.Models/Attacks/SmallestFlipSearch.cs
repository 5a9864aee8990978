using System.Diagnostics;
using static TorchSharp.torch;

namespace LipService.Models.Attacks;

/// <summary>
/// Searches for the smallest L2 perturbation of one input that changes a network's label: <see cref="L2Pgd"/>
/// at a budget ε that grows geometrically from just above the certified radius until a run flips the
/// label, then bisection between the last budget that failed and the nearest flip found.
/// </summary>
/// <remarks>
/// Why this rather than one PGD run at a fixed budget or a DDN-style attack: the answer shown next to
/// a certificate should be an upper bound on the distance to the decision boundary that is as tight
/// as the step budget allows, and a bracketing search gives that with a fixed-budget attack we
/// already trust (the same PGD the certificate tests use). Starting at the certified radius wastes no
/// steps where the certificate proves nothing can flip; the geometric growth finds a bracket in a
/// few runs even when the certificate is loose; bisection then halves the bracket with every run.
/// Each run starts from x itself so a run's result depends only on its budget.
/// </remarks>
public static class SmallestFlipSearch
{
    /// <summary>The first budget, as a multiple of the certified radius (inside it nothing can flip).</summary>
    public const double StartFactor = 1.05;

    /// <summary>How much the budget grows after a run that did not flip the label.</summary>
    public const double GrowthFactor = 1.5;

    /// <summary>The first budget when the certified radius is 0 (a tie): anything nearer is within float32 rounding.</summary>
    public const double SmallestBudget = 1e-3;

    /// <summary>Bisection stops once the bracket is this narrow relative to its upper end.</summary>
    public const double RelativePrecision = 0.01;

    /// <summary>Gradient steps of one PGD run at most; fewer when the whole budget is small, so that several budgets are tried.</summary>
    public const int MaxStepsPerRun = 50;

    /// <summary>Runs per search the step budget is divided into (at least one step each).</summary>
    public const int PlannedRuns = 8;

    /// <summary>One PGD run walks about this many budgets' lengths in total (the 2.5·ε/steps step of Madry et al.).</summary>
    public const double PathLength = 2.5;

    /// <param name="network">Read only: its forward is called, gradients are taken with respect to the input only.</param>
    /// <param name="image">The input, <c>D</c> values in [0, 1].</param>
    /// <param name="label">The label index to move away from (see <see cref="AttackMargin"/>).</param>
    /// <param name="certifiedRadius">The certified radius of the answer on <paramref name="image"/>; the search starts just above it.</param>
    /// <param name="maxSteps">Gradient steps at most, all runs together.</param>
    /// <param name="timeLimit">Wall time after which the search stops and answers what it has.</param>
    public static SmallestFlipResult Run(nn.Module<Tensor, Tensor> network, float[] image, long label, double certifiedRadius, int maxSteps, TimeSpan timeLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        if (!(certifiedRadius >= 0)) throw new ArgumentOutOfRangeException(nameof(certifiedRadius), certifiedRadius, "A certified radius is 0 or more.");

        var clock = Stopwatch.StartNew();
        bool stopped = false;
        bool Stop() => stopped |= clock.Elapsed >= timeLimit || cancellationToken.IsCancellationRequested;

        // No two points of [0, 1]^D are further apart than √D: a budget beyond it changes nothing.
        double diameter = Math.Sqrt(image.Length);
        int runSteps = Math.Clamp(maxSteps / PlannedRuns, 1, MaxStepsPerRun);
        double stepFraction = Math.Min(1, PathLength / runSteps);

        using var scope = NewDisposeScope();
        var x = tensor(image, [1, image.Length]);
        var labels = tensor(new[] { label });
        var candidates = new List<AdversarialCandidate>();
        int used = 0;
        double searched = 0;
        double failed = certifiedRadius;                          // the largest budget known not to flip (proven below the radius)
        double epsilon = Math.Min(diameter, Math.Max(certifiedRadius * StartFactor, SmallestBudget));
        double nearest = double.PositiveInfinity;
        while (used < maxSteps && !Stop())
        {
            using var runScope = NewDisposeScope();
            var run = L2Pgd.Run(network, x, labels, tensor(new[] { epsilon }, dtype: float64), Math.Min(runSteps, maxSteps - used), stepFraction, Stop);
            used += run.Steps;
            searched = Math.Max(searched, epsilon);
            double distance = run.ClosestDistance.item<double>();
            if (double.IsFinite(distance))
            {
                candidates.Add(new AdversarialCandidate(run.Closest.data<float>().ToArray(), distance));
                nearest = Math.Min(nearest, distance);
            }
            else
            {
                failed = Math.Max(failed, epsilon);
                // Nothing flips anywhere in the box: no budget will do better.
                if (double.IsPositiveInfinity(nearest) && epsilon >= diameter) break;
            }

            if (double.IsPositiveInfinity(nearest))
            {
                epsilon = Math.Min(diameter, epsilon * GrowthFactor);
                continue;
            }
            // A flip at distance d bounds the smallest flip by d, whatever budget found it.
            if (nearest - failed <= RelativePrecision * nearest) break;
            epsilon = (failed + nearest) / 2;
        }
        candidates.Sort((a, b) => a.Distance.CompareTo(b.Distance));
        return new SmallestFlipResult(candidates, used, searched, stopped);
    }
}
