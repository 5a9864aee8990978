namespace LipService.Api.Storage;

/// <summary>The database could not be opened, read or written at start: its message names the file and what to do.</summary>
public sealed class StoreOpenException(string message, Exception inner) : Exception(message, inner);
