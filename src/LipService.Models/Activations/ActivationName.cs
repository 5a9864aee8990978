using System.Globalization;

namespace LipService.Models.Activations;

/// <summary>The lower-case names specs use on the wire: groupsort2, groupsort&lt;n&gt;, fullsort, relu.</summary>
public static class ActivationName
{
    public static bool TryParse(string? name, out ActivationKind kind, out int groupSize)
    {
        kind = ActivationKind.GroupSort2;
        groupSize = 2;
        string n = (name ?? string.Empty).Trim().ToLowerInvariant();
        switch (n)
        {
            case "groupsort2":
                return true;
            case "fullsort":
                kind = ActivationKind.FullSort;
                return true;
            case "relu":
                kind = ActivationKind.ReLU;
                return true;
        }
        if (n.StartsWith("groupsort", StringComparison.Ordinal)
            && int.TryParse(n.AsSpan("groupsort".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int size)
            && size >= 2)
        {
            kind = size == 2 ? ActivationKind.GroupSort2 : ActivationKind.GroupSort;
            groupSize = size;
            return true;
        }
        return false;
    }

    public static string Format(ActivationKind kind, int groupSize) => kind switch
    {
        ActivationKind.GroupSort2 => "groupsort2",
        ActivationKind.GroupSort => $"groupsort{groupSize}",
        ActivationKind.FullSort => "fullsort",
        ActivationKind.ReLU => "relu",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };
}
