using System.Globalization;
using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Models.Export;
using LipService.Training.Jobs;
using static TorchSharp.torch;

namespace LipService.Api.Weights;

/// <summary>Turns a model's stored TorchSharp weights into the portable formats.</summary>
public static class WeightsConverter
{
    /// <summary>Bumped when the safetensors metadata keys or their meaning change.</summary>
    public const string MetadataVersion = "1";

    public static byte[] Convert(ModelRecord model, byte[] stored, WeightFormat format, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stored);
        if (format == WeightFormat.TorchSharp) return stored;
        using var scope = NewDisposeScope();
        using var network = ExportedNetwork.Deserialize(model.Spec.ToNetworkSpec(), stored);
        if (format == WeightFormat.PyTorch) return PortableStateDict.ToPyTorch(network);
        if (format == WeightFormat.Safetensors)
        {
            var metadata = Metadata(model, network, json);
            // Hugging Face's loaders check this key to pick the PyTorch layout.
            metadata["format"] = "pt";
            return PortableStateDict.ToSafetensors(network, metadata);
        }
        if (format == WeightFormat.Onnx) return OnnxExporter.Export(network, Metadata(model, network, json));
        throw new ArgumentOutOfRangeException(nameof(format), format.Name, "No converter for this weight format.");
    }

    /// <summary>Why <paramref name="model"/> cannot be written as <paramref name="format"/>, or null when it can.</summary>
    public static string? ExplainNotConvertible(ModelRecord model, WeightFormat format) =>
        format == WeightFormat.Onnx ? OnnxExporter.ExplainNotExportable(model.Spec.ToNetworkSpec()) : null;

    /// <summary>
    /// safetensors and ONNX metadata are maps of strings: numbers in round-trip form, lists and the spec as
    /// JSON in the API's own shape, so a reader needs nothing but the file.
    /// </summary>
    private static Dictionary<string, string> Metadata(ModelRecord model, ExportedNetwork network, JsonSerializerOptions json)
    {
        var metadata = new Dictionary<string, string>
        {
            ["lipservice.formatVersion"] = MetadataVersion,
            ["lipservice.modelId"] = model.Id,
            ["lipservice.spec"] = JsonSerializer.Serialize(TrainingSpecResponse.From(model.Spec), json),
            ["lipservice.classes"] = JsonSerializer.Serialize(model.Spec.Classes, json),
            // Recomputed from the very weights in the file, as /predict does when it loads them.
            ["lipservice.lipschitzBound"] = network.LipschitzBound.ToString("R", CultureInfo.InvariantCulture),
        };
        if (model.LipschitzLowerBound is { } lower)
            metadata["lipservice.lipschitzLowerBound"] = lower.ToString("R", CultureInfo.InvariantCulture);
        return metadata;
    }
}
