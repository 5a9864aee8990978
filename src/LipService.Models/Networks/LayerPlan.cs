namespace LipService.Models.Networks;

/// <summary>
/// One linear layer of a <see cref="LipschitzNetworkSpec"/>, in order: the trainable network and
/// its export both build from this list, so their layers, shapes and module names (the
/// checkpoint and weight-file keys) cannot drift apart.
/// </summary>
/// <param name="Name">Module name of the layer ("conv0", …, "dense0", …, "output").</param>
/// <param name="InFeatures">Input width; input channels for a convolution.</param>
/// <param name="OutFeatures">Output width; output channels for a convolution.</param>
/// <param name="ActivationName">Module name of the activation that follows it; null after the output layer.</param>
public sealed record LayerPlan(string Name, long InFeatures, long OutFeatures, bool Bias, bool IsOutput, string? ActivationName)
{
    public LayerKind Kind { get; init; } = LayerKind.Dense;

    /// <summary>Side of the square kernel of a convolution; 0 for a dense layer.</summary>
    public long KernelSize { get; init; }

    /// <summary>Height and width of a convolution's input: its proven bound depends on them.</summary>
    public long Height { get; init; }

    public long Width { get; init; }

    /// <summary>Module name of the 2×2 L2-norm pooling after the activation of a convolution; null when none.</summary>
    public string? PoolName { get; init; }

    /// <summary>Module name of the flattening before the first dense layer that follows convolutions; null otherwise.</summary>
    public string? FlattenBefore { get; init; }

    /// <summary>Any of the convolution kinds: its input and output are (B, C, H, W).</summary>
    public bool IsConvolution => Kind != LayerKind.Dense;

    /// <summary>1, or 2 for the down-sampling, whose kernel is as large as its stride.</summary>
    public long Stride => Kind == LayerKind.OrthogonalDownsampling ? KernelSize : 1;

    /// <summary>"Same" padding on each side: none for the down-sampling.</summary>
    public long Padding => Kind == LayerKind.OrthogonalDownsampling ? 0 : KernelSize / 2;

    /// <summary>Height and width of a convolution's output (where the activation after it runs).</summary>
    public long OutputHeight => Height / Stride;

    public long OutputWidth => Width / Stride;

    /// <summary>What fixes the parameter shapes and module names (a key for networks that can share weights).</summary>
    public string Shape => Kind switch
    {
        LayerKind.Dense => $"{Name}:{InFeatures}x{OutFeatures}{(Bias ? "b" : "")}",
        // The first convolution kind keeps the key it always had.
        _ => $"{Name}:c{InFeatures}x{OutFeatures}k{KernelSize}@{Height}x{Width}{(Bias ? "b" : "")}{(PoolName is null ? "" : "p")}"
            + Kind switch { LayerKind.OrthogonalConvolution => "o", LayerKind.OrthogonalDownsampling => "d", _ => "" },
    };
}
