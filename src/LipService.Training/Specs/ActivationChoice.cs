using LipService.Models.Activations;

namespace LipService.Training.Specs;

/// <summary>A spec's activation: the kind and, for GroupSort, the group size (groupsort4 = GroupSort of 4).</summary>
public readonly record struct ActivationChoice(ActivationKind Kind, int GroupSize)
{
    /// <summary>The notebook's pairwise min/max.</summary>
    public static ActivationChoice GroupSort2 { get; } = new(ActivationKind.GroupSort2, 2);

    public static ActivationChoice FullSort { get; } = new(ActivationKind.FullSort, 2);

    public static ActivationChoice ReLU { get; } = new(ActivationKind.ReLU, 2);

    /// <summary>GroupSort over groups of <paramref name="groupSize"/> (2 is <see cref="GroupSort2"/>).</summary>
    public static ActivationChoice GroupSort(int groupSize) => groupSize == 2 ? GroupSort2 : new(ActivationKind.GroupSort, groupSize);

    /// <summary>The wire name: groupsort2, groupsort&lt;n&gt;, fullsort or relu.</summary>
    public override string ToString() => ActivationName.Format(Kind, GroupSize);
}
