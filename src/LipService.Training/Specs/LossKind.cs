namespace LipService.Training.Specs;

/// <summary>The loss a spec trains with; its wire and stored names are in <see cref="SpecChoices.Loss"/>.</summary>
public enum LossKind
{
    /// <summary>α·hinge − KR with margin m.</summary>
    Hkr,

    /// <summary>Cross-entropy of softmax(τ·f), divided by τ; three or more classes.</summary>
    TauCrossEntropy,
}
