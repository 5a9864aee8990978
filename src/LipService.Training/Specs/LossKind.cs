namespace LipService.Training.Specs;

/// <summary>The loss a spec trains with; its wire and stored names are in <see cref="SpecChoices.Loss"/>.</summary>
public enum LossKind
{
    /// <summary>α·hinge − KR with margin m.</summary>
    Hkr,

    /// <summary>Cross-entropy of softmax(τ·f), divided by τ; three or more classes.</summary>
    TauCrossEntropy,

    /// <summary>
    /// (1/C)·Σ_{j≠y} max(0, μ − (f_y − f_j)) with μ = <see cref="TrainingSpec.MinMargin"/>, torch's
    /// multi_margin_loss; three or more classes.
    /// </summary>
    PairwiseHinge,

    /// <summary>
    /// T·CE((f − μ·e_y)/T) with μ = <see cref="TrainingSpec.MinMargin"/> and T = 1/<see cref="TrainingSpec.Tau"/>
    /// (Prach et al. 2023); three or more classes.
    /// </summary>
    OffsetCrossEntropy,
}
