namespace LipService.Models.Export;

/// <summary>Smallest and largest singular value of one exported kernel (computed by SVD in float64).</summary>
public readonly record struct LayerSpectrum(string Layer, double MinSingularValue, double MaxSingularValue);
