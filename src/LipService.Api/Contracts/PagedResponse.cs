namespace LipService.Api.Contracts;

/// <summary>One page of a list, newest first.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
