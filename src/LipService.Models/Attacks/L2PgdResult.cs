using static TorchSharp.torch;

namespace LipService.Models.Attacks;

/// <summary>What one <see cref="L2Pgd.Run"/> reached; every tensor is in the caller's dispose scope.</summary>
/// <param name="LowestMargin">(B) float64: the smallest margin seen along each path.</param>
/// <param name="LargestNorm">(B) float64: the largest ‖x′ − x‖ of any scored iterate.</param>
/// <param name="Flipped">(B) bool: whether any iterate got another label.</param>
/// <param name="Closest">(B, D) float32: the relabelled iterate nearest x, or x itself where none was.</param>
/// <param name="ClosestDistance">(B) float64: ‖Closest − x‖, +∞ where nothing flipped.</param>
/// <param name="Steps">Gradient steps taken (one forward and backward pass of the batch each).</param>
public sealed record L2PgdResult(Tensor LowestMargin, Tensor LargestNorm, Tensor Flipped, Tensor Closest, Tensor ClosestDistance, int Steps);
