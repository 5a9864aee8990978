namespace LipService.Api.Contracts;

/// <summary>The model's answer on the image, its certificate, and what the attack found beyond it.</summary>
/// <param name="Label">The model's label for the image.</param>
/// <param name="Scores">Multiclass: one score per class, in the order of <paramref name="Classes"/>; two classes: the one score f(x), the positive class when ≥ 0.</param>
/// <param name="Classes">The model's classes, as GET /models/{id} lists them (a two-class model's positive class first).</param>
/// <param name="CertifiedRadius">The radius /predict answers for the image: no perturbation of L2 norm below it changes the label.</param>
/// <param name="LipschitzBound">L of the model that answered.</param>
public sealed record AttackResponse(
    string ModelId,
    int Label,
    float[] Scores,
    IReadOnlyList<int> Classes,
    double CertifiedRadius,
    double LipschitzBound,
    AttackOutcome Attack);

/// <summary>The nearest relabelled image the attack found; always at least the certified radius away.</summary>
/// <param name="Found">Whether an image with another label was found (and checked by scoring it as /predict does).</param>
/// <param name="Label">The label of the adversarial image; null when none was found.</param>
/// <param name="Distance">L2 norm of adversarial − image, in float64 from the float32 images the model scored; null when none was found.</param>
/// <param name="Image">The adversarial image, as many pixels in [0, 1] as the model takes (784 for MNIST); null when none was found.</param>
/// <param name="Steps">Gradient steps used (each one forward and backward pass of the image).</param>
/// <param name="ElapsedMs">Wall time of the attack in milliseconds.</param>
/// <param name="SearchedRadius">The largest L2 budget the attack tried.</param>
public sealed record AttackOutcome(bool Found, int? Label, double? Distance, float[]? Image, int Steps, double ElapsedMs, double SearchedRadius);
