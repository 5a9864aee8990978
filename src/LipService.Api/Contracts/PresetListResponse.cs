namespace LipService.Api.Contracts;

/// <summary>The training presets, the one a spec without <c>preset</c> starts from, and the choice fields' values.</summary>
public sealed record PresetListResponse(string Default, IReadOnlyList<PresetResponse> Presets, SpecChoicesResponse Choices);
