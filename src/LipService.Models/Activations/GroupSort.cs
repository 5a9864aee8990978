using static TorchSharp.torch;

namespace LipService.Models.Activations;

/// <summary>
/// Sorts consecutive groups of <see cref="GroupSize"/> features in ascending order.
/// 1-Lipschitz and gradient-norm preserving (a piecewise permutation). GroupSize 2 is
/// deel-lip's GroupSort2 (pairwise min/max); GroupSize = width is FullSort.
/// After a convolution the groups are formed across channels (<see cref="OnChannels"/>), at each
/// pixel, as deel-lip's channels-last layout does: the same grouping everywhere keeps the layer
/// translation-equivariant.
/// </summary>
public sealed class GroupSort : nn.Module<Tensor, Tensor>
{
    public GroupSort(int groupSize, string name = nameof(GroupSort), bool onChannels = false) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        GroupSize = groupSize;
        OnChannels = onChannels;
    }

    public int GroupSize { get; }

    /// <summary>Groups along dimension 1 of (B, C, H, W) inputs instead of the last dimension.</summary>
    public bool OnChannels { get; }

    public override Tensor forward(Tensor input)
    {
        if (OnChannels && input.dim() > 2) return SortChannels(input);
        long features = input.shape[^1];
        if (features % GroupSize != 0)
            throw new ArgumentException($"{features} features cannot be split into groups of {GroupSize}.", nameof(input));
        if (GroupSize == 1) return input.alias();
        if (GroupSize == 2) return SortPairs(input.reshape(-1, 2), dim: 1).reshape(input.shape);
        var (sorted, _) = input.reshape(-1, GroupSize).sort(dim: -1);
        return sorted.reshape(input.shape);
    }

    private Tensor SortChannels(Tensor input)
    {
        long channels = input.shape[1];
        if (channels % GroupSize != 0)
            throw new ArgumentException($"{channels} channels cannot be split into groups of {GroupSize}.", nameof(input));
        if (GroupSize == 1) return input.alias();
        var grouped = input.reshape(input.shape[0], channels / GroupSize, GroupSize, -1);
        if (GroupSize == 2) return SortPairs(grouped, dim: 2).reshape(input.shape);
        var (sorted, _) = grouped.sort(dim: 2);
        return sorted.reshape(input.shape);
    }

    /// <summary>
    /// Pairs sorted by an elementwise minimum and maximum: the values sort gives, without its general
    /// kernel on a dimension of two. Where a gradient will be taken, through <see cref="PairSwapFunction"/>,
    /// whose backward is a permutation; in inference (serving, certification) without it, so that no
    /// swap mask is made and kept for a backward that never comes.
    /// </summary>
    private static Tensor SortPairs(Tensor grouped, long dim)
    {
        if (grouped.requires_grad && is_grad_enabled()) return PairSwapFunction.Apply(grouped, dim);
        var first = grouped.select(dim, 0);
        var second = grouped.select(dim, 1);
        return stack([minimum(first, second), maximum(first, second)], dim);
    }
}
