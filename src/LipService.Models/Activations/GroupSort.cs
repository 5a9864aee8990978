using static TorchSharp.torch;

namespace LipService.Models.Activations;

/// <summary>
/// Sorts consecutive groups of <see cref="GroupSize"/> features in ascending order.
/// 1-Lipschitz and gradient-norm preserving (a piecewise permutation). GroupSize 2 is
/// deel-lip's GroupSort2 (pairwise min/max); GroupSize = width is FullSort.
/// </summary>
public sealed class GroupSort : nn.Module<Tensor, Tensor>
{
    public GroupSort(int groupSize, string name = nameof(GroupSort)) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        GroupSize = groupSize;
    }

    public int GroupSize { get; }

    public override Tensor forward(Tensor input)
    {
        long features = input.shape[^1];
        if (features % GroupSize != 0)
            throw new ArgumentException($"{features} features cannot be split into groups of {GroupSize}.", nameof(input));
        if (GroupSize == 1) return input.alias();
        var (sorted, _) = input.reshape(-1, GroupSize).sort(dim: -1);
        return sorted.reshape(input.shape);
    }
}
