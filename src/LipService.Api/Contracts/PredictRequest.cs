namespace LipService.Api.Contracts;

/// <summary>Digits as pixel arrays: each 784 values in [0, 1], row-major 28×28, white digit (1) on black (0), as in MNIST.</summary>
public sealed record PredictRequest
{
    /// <summary>1 to 1,024 digits, each 784 numbers in [0, 1].</summary>
    public PixelBatch? Images { get; init; }

    /// <summary>The model to ask; default the newest succeeded model.</summary>
    public string? ModelId { get; init; }
}
