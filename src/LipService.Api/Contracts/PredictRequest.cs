namespace LipService.Api.Contracts;

/// <summary>
/// Images as pixel arrays: each 784 values in [0, 1], row-major 28×28, white digit (1) on black (0), as in MNIST;
/// for a model of an uploaded dataset channels × height × width values, each channel's rows in turn.
/// </summary>
public sealed record PredictRequest
{
    /// <summary>1 to 1,024 images, each 784 numbers in [0, 1] (an uploaded dataset's model: channels × height × width).</summary>
    public PixelBatch? Images { get; init; }

    /// <summary>The model to ask; default the newest succeeded model.</summary>
    public string? ModelId { get; init; }
}
