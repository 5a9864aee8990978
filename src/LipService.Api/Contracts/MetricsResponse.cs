namespace LipService.Api.Contracts;

/// <summary>The epochs of a job so far, numbered from 1.</summary>
public sealed record MetricsResponse(string JobId, string Status, IReadOnlyList<EpochMetricsResponse> Epochs);
