using static TorchSharp.torch;

namespace LipService.Models.Networks;

public static class ModuleDeviceExtensions
{
    /// <summary>The device of the module's first parameter (CPU for a module without parameters).</summary>
    public static Device ParameterDevice(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var p in module.parameters()) return p.device;
        return CPU;
    }
}
