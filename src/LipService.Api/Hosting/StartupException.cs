namespace LipService.Api.Hosting;

/// <summary>A setting the service cannot start with; the message names the key and says what to do.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
