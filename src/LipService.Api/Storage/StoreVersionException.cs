namespace LipService.Api.Storage;

/// <summary>The database cannot be used by this build: written by a newer one, or missing tables it should have.</summary>
public sealed class StoreVersionException(string message) : Exception(message);
