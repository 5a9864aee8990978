using TorchSharp.PyBridge;

namespace LipService.Models.Export;

/// <summary>
/// An exported network's state dict (its module names, e.g. "layers.dense0.weight", float32) in
/// the formats other runtimes read: safetensors and PyTorch's <c>torch.save</c> zip.
/// </summary>
public static class PortableStateDict
{
    public static byte[] ToSafetensors(ExportedNetwork network, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        return SafetensorsWriter.Write(network.state_dict(), metadata);
    }

    /// <summary>
    /// A file <c>torch.load</c> reads as an OrderedDict of tensors. PyBridge's pickle has no place
    /// for metadata: the spec and the bound travel in the safetensors header and GET /models/{id}.
    /// </summary>
    public static byte[] ToPyTorch(ExportedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var stream = new MemoryStream();
        network.save_py(stream, leaveOpen: true);
        return stream.ToArray();
    }
}
