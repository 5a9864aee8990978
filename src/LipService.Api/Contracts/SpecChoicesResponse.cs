namespace LipService.Api.Contracts;

/// <summary>The values a spec's choice fields take (activation: also groupsort&lt;n&gt; for other group sizes).</summary>
public sealed record SpecChoicesResponse(
    IReadOnlyList<string> Dataset,
    IReadOnlyList<string> Architecture,
    IReadOnlyList<string> Activation,
    IReadOnlyList<string> Loss,
    IReadOnlyList<string> LearningRateSchedule);
