using LipService.Models.Certificates;

namespace LipService.Api.Contracts;

/// <summary>The fraction of test digits classified correctly with a certified L2 radius above <paramref name="Epsilon"/> (pixels in [0, 1]).</summary>
public sealed record CertifiedAccuracyResponse(double Epsilon, double Accuracy)
{
    public static CertifiedAccuracyResponse From(CertifiedAccuracyPoint point) => new(point.Epsilon, point.Accuracy);

    public static IReadOnlyList<CertifiedAccuracyResponse> From(IEnumerable<CertifiedAccuracyPoint> points) => [.. points.Select(From)];
}
