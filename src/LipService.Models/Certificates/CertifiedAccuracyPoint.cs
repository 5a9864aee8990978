namespace LipService.Models.Certificates;

/// <summary>Fraction of samples classified correctly with a certified L2 radius greater than <paramref name="Epsilon"/>.</summary>
public readonly record struct CertifiedAccuracyPoint(double Epsilon, double Accuracy);
