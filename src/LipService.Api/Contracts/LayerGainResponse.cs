using LipService.Models.Export;

namespace LipService.Api.Contracts;

/// <summary>
/// How much of its proven bound one layer passes back on test images: per image the gradient norm of
/// the margin f_y − max_{j≠y} f_j into the layer over the norm out of it, divided by the layer's bound.
/// 1 means the layer spends none of its bound (orthogonal layers); the network's certificates can only
/// be as large as the product of these allows.
/// </summary>
/// <param name="Layer">The layer's module name (conv0, down0, dense0, output, …).</param>
/// <param name="Mean">Mean over 256 test images.</param>
/// <param name="Min">Smallest over those images.</param>
/// <param name="Bound">The layer's proven bound (its largest singular value).</param>
public sealed record LayerGainResponse(string Layer, double Mean, double Min, double Bound)
{
    public static IReadOnlyList<LayerGainResponse> From(IReadOnlyList<LayerGain> gains) => [.. gains.Select(g => new LayerGainResponse(g.Layer, g.Mean, g.Min, g.Bound))];
}
