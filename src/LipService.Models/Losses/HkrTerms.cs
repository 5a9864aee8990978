using static TorchSharp.torch;

namespace LipService.Models.Losses;

/// <summary>The HKR loss and its parts for one batch, all scalar tensors.</summary>
/// <param name="Loss">α·hinge − KR, to minimise.</param>
/// <param name="Kr">The Kantorovich–Rubinstein estimate mean f(positives) − mean f(negatives).</param>
/// <param name="Hinge">mean max(0, m − y·f).</param>
/// <param name="Accuracy">Fraction of samples whose sign of f agrees with the label.</param>
public readonly record struct HkrTerms(Tensor Loss, Tensor Kr, Tensor Hinge, Tensor Accuracy)
{
    /// <summary>The four values stacked as [loss, kr, hinge, accuracy], detached.</summary>
    public Tensor Stack() => stack([Loss.detach(), Kr.detach(), Hinge.detach(), Accuracy]);
}
