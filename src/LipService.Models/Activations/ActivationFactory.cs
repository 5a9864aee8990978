using static TorchSharp.torch;

namespace LipService.Models.Activations;

/// <summary>Builds the 1-Lipschitz activation modules named by <see cref="ActivationKind"/>.</summary>
public static class ActivationFactory
{
    /// <param name="width">Features of a dense layer, channels of a convolution.</param>
    /// <param name="onChannels">The activation follows a convolution: sort groups form across channels.</param>
    public static nn.Module<Tensor, Tensor> Create(ActivationKind kind, long width, int groupSize = 2, bool onChannels = false) => kind switch
    {
        ActivationKind.GroupSort2 => new GroupSort(2, "GroupSort2", onChannels),
        ActivationKind.GroupSort => new GroupSort(groupSize, onChannels: onChannels),
        ActivationKind.FullSort => new GroupSort(checked((int)width), "FullSort", onChannels),
        ActivationKind.ReLU => nn.ReLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    /// <summary>Why <paramref name="width"/> cannot follow <paramref name="kind"/>, or null when it can.</summary>
    public static string? ExplainIncompatibleWidth(ActivationKind kind, long width, int groupSize = 2) => kind switch
    {
        ActivationKind.GroupSort2 when width % 2 != 0 => $"GroupSort2 pairs features, so the width must be even (got {width}).",
        ActivationKind.GroupSort when groupSize < 1 => $"GroupSort needs a group size ≥ 1 (got {groupSize}).",
        ActivationKind.GroupSort when width % groupSize != 0 => $"GroupSort({groupSize}) needs widths that are multiples of {groupSize} (got {width}).",
        _ => null,
    };
}
