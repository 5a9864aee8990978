namespace LipService.Models.Networks;

/// <summary>
/// One linear layer of a <see cref="LipschitzNetworkSpec"/>, in order: the trainable network and
/// its export both build from this list, so their layers, shapes and module names (the
/// checkpoint and weight-file keys) cannot drift apart.
/// </summary>
/// <param name="Name">Module name of the layer ("dense0", …, "output").</param>
/// <param name="ActivationName">Module name of the activation that follows it; null after the output layer.</param>
public sealed record LayerPlan(string Name, long InFeatures, long OutFeatures, bool Bias, bool IsOutput, string? ActivationName);
