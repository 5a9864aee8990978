using static TorchSharp.torch;

namespace LipService.Training.Specs;

/// <summary>Maps a spec's device to a TorchSharp device.</summary>
public static class DeviceSelector
{
    /// <summary>cpu → CPU; cuda → the first GPU or an error saying none is usable; auto → cuda when available.</summary>
    public static Device Resolve(DeviceKind kind)
    {
        switch (kind)
        {
            case DeviceKind.Cpu:
                return CPU;
            case DeviceKind.Cuda:
                if (!cuda.is_available())
                    throw new InvalidOperationException("Device 'cuda' was requested but no CUDA device is usable here (CPU build of libtorch, or no GPU). Use device 'cpu' or 'auto', or run a GPU worker built with TorchBackend=cuda.");
                return CUDA;
            case DeviceKind.Auto:
                return cuda.is_available() ? CUDA : CPU;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown device; use cpu, cuda or auto.");
        }
    }
}
