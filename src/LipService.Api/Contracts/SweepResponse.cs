namespace LipService.Api.Contracts;

/// <summary>A sweep's jobs and its accuracy-versus-robustness table.</summary>
/// <param name="Status">running while any job is queued or running; succeeded when all did; completed otherwise.</param>
/// <param name="ParetoFront">Ids of the succeeded jobs that no other job beats on validation accuracy and on certified accuracy at every reported ε at once.</param>
public sealed record SweepResponse(
    string Id,
    DateTimeOffset CreatedAt,
    string Status,
    int Total,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<SweepJobRow> Jobs,
    IReadOnlyList<string> ParetoFront);

/// <summary>One job of a sweep: the values swept, and once it succeeded its accuracy and certified accuracies.</summary>
/// <param name="CertifiedAccuracy">At ε = 0.5, 1.0 and 1.58 (L2, pixels in [0, 1]).</param>
public sealed record SweepJobRow(
    string JobId,
    string Status,
    double Alpha,
    double MinMargin,
    IReadOnlyList<int> Hidden,
    string Activation,
    double LearningRate,
    int Seed,
    string? ModelId,
    double? ValAccuracy,
    IReadOnlyList<CertifiedAccuracyResponse>? CertifiedAccuracy,
    bool Pareto);
