namespace LipService.Models.Export;

/// <summary>
/// How much of its proven bound one exported layer passes back on real inputs: per sample the
/// ratio ‖∂m/∂(layer input)‖ / ‖∂m/∂(layer output)‖ for the margin m = f_y − max_{j≠y} f_j, over the
/// bound (a layer can pass back no more than its largest singular value). 1 means that the layer
/// spends none of its bound; orthogonal layers give 1 exactly, others less.
/// </summary>
/// <param name="Mean">Mean over the samples of gain / bound.</param>
/// <param name="Min">Smallest over the samples of gain / bound.</param>
/// <param name="Bound">The layer's proven bound (<see cref="LayerSpectrum.MaxSingularValue"/>).</param>
public readonly record struct LayerGain(string Layer, double Mean, double Min, double Bound);
