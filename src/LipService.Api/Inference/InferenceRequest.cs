namespace LipService.Api.Inference;

/// <summary>An Open Inference Protocol inference request, read and checked.</summary>
/// <param name="Id">Echoed in the response when given.</param>
/// <param name="Pixels">The input's images, 784 values each, one after another; disposing the request returns them to the pool.</param>
/// <param name="Outputs">The outputs to answer, in order, each with whether it goes in the binary section.</param>
/// <param name="BinaryInput">Whether the pixels came in the binary tensor data extension rather than as JSON.</param>
public sealed record InferenceRequest(string? Id, PooledPixels Pixels, IReadOnlyList<RequestedOutput> Outputs, bool BinaryInput) : IDisposable
{
    public int Count => Pixels.Count;

    public void Dispose() => Pixels.Dispose();
}

/// <summary>One output a request asks for.</summary>
public sealed record RequestedOutput(string Name, bool Binary);
