namespace LipService.Api.Contracts;

/// <summary>A training preset: its name (the spec's <c>preset</c> field) and every field it sets.</summary>
/// <param name="Spec">What POST /jobs trains for <c>{"preset": name}</c>, except the seed: a job without one gets a random seed.</param>
public sealed record PresetResponse(string Name, TrainingSpecResponse Spec);
