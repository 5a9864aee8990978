namespace LipService.Api.Storage;

/// <summary>A hyper-parameter sweep as stored: its request (JSON, as posted) and when it was made; its jobs carry its id.</summary>
public sealed record SweepRecord(string Id, DateTimeOffset CreatedAt, string Request);
