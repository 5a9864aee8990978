namespace LipService.Api.Serving;

/// <summary>
/// The outcome of <see cref="LoadedModel.Attack"/>: when <see cref="Image"/> is set, the served scorer
/// (the one /predict uses) gives that exact float32 image the label <see cref="Label"/>, which differs
/// from the label of the original.
/// </summary>
/// <param name="Image">The nearest verified adversarial image, or null when none was found.</param>
/// <param name="Label">The label <see cref="Image"/> gets; null when none was found.</param>
/// <param name="Distance">‖Image − original‖ in float64 from the two float32 images; null when none was found.</param>
/// <param name="Steps">Gradient steps used.</param>
/// <param name="Elapsed">Wall time of the search and the verification.</param>
/// <param name="SearchedRadius">The largest L2 budget tried.</param>
public sealed record VerifiedAttack(float[]? Image, int? Label, double? Distance, int Steps, TimeSpan Elapsed, double SearchedRadius);
