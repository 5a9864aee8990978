namespace LipService.Api.Inference;

/// <summary>
/// A request the Open Inference Protocol endpoints refuse: answered with <see cref="StatusCode"/> and
/// the protocol's error body <c>{"error": "…"}</c> (its clients read exactly that field).
/// </summary>
public sealed class InferenceError(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static InferenceError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static InferenceError NotFound(string message) => new(StatusCodes.Status404NotFound, message);
}
