namespace LipService.Api.Weights;

/// <summary>A download format of a model's weights: its query name, media type and file extension.</summary>
public sealed record WeightFormat(string Name, string ContentType, string Extension)
{
    /// <summary>TorchSharp's module format, as stored: what GET /models/{id}/weights has always answered.</summary>
    public static readonly WeightFormat TorchSharp = new("torchsharp", "application/octet-stream", "bin");

    /// <summary>No media type is registered for safetensors; the bytes are opaque to HTTP.</summary>
    public static readonly WeightFormat Safetensors = new("safetensors", "application/octet-stream", "safetensors");

    /// <summary>torch.save's format is a zip archive (data.pkl plus one entry per tensor).</summary>
    public static readonly WeightFormat PyTorch = new("pt", "application/zip", "pt");

    /// <summary>An ONNX model (protobuf); no media type is registered for it either.</summary>
    public static readonly WeightFormat Onnx = new("onnx", "application/octet-stream", "onnx");

    public static IReadOnlyList<WeightFormat> All { get; } = [TorchSharp, Safetensors, PyTorch, Onnx];

    /// <summary>The format named <paramref name="name"/> (case-insensitive); the stored format when null or empty.</summary>
    public static bool TryParse(string? name, out WeightFormat format)
    {
        format = string.IsNullOrEmpty(name)
            ? TorchSharp
            : All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return format is not null;
    }

    public string FileName(string modelId) => $"lipservice-model-{modelId}.{Extension}";
}
