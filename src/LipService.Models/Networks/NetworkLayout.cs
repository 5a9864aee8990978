using LipService.Models.Activations;
using LipService.Models.Pooling;
using static TorchSharp.torch;

namespace LipService.Models.Networks;

/// <summary>
/// The module sequence of a spec — each linear layer, then its activation, pooling or flattening —
/// shared by the trainable network and its export, which differ only in the linear layers.
/// </summary>
internal static class NetworkLayout
{
    public static List<(string Name, nn.Module<Tensor, Tensor> Module)> Build(
        LipschitzNetworkSpec spec, Func<LayerPlan, nn.Module<Tensor, Tensor>> linear)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (var layer in spec.Layers())
        {
            if (layer.FlattenBefore is { } flatten) modules.Add((flatten, nn.Flatten()));
            modules.Add((layer.Name, linear(layer)));
            if (layer.ActivationName is { } activation)
                modules.Add((activation, ActivationFactory.Create(spec.Activation, layer.OutFeatures, spec.GroupSize, onChannels: layer.IsConvolution)));
            if (layer.PoolName is { } pool) modules.Add((pool, new ScaledL2NormPooling2D(2)));
        }
        return modules;
    }

    /// <summary>The input as the first layer takes it: (B, C, H, W) for convolutions, (B, features) otherwise.</summary>
    public static Tensor Shape(LipschitzNetworkSpec spec, Tensor input) => spec.IsConvolutional
        ? input.reshape(input.shape[0], spec.InputChannels, spec.InputHeight, spec.InputWidth)
        : input.reshape(input.shape[0], -1);
}
