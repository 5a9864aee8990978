namespace LipService.Models.Attacks;

/// <summary>What <see cref="SmallestFlipSearch.Run"/> found.</summary>
/// <param name="Candidates">Relabelled inputs, nearest first: the nearest of each budget that flipped.</param>
/// <param name="Steps">Gradient steps used, all budgets together.</param>
/// <param name="SearchedRadius">The largest L2 budget tried (0 when no step was taken).</param>
/// <param name="Stopped">Whether the time limit or cancellation ended the search before its steps ran out or it converged.</param>
public sealed record SmallestFlipResult(IReadOnlyList<AdversarialCandidate> Candidates, int Steps, double SearchedRadius, bool Stopped);
