using static TorchSharp.torch;

namespace LipService.Training.Specs;

/// <summary>Maps a spec's device name to a TorchSharp device.</summary>
public static class DeviceSelector
{
    public static bool IsKnown(string? name) => name?.Trim().ToLowerInvariant() is "cpu" or "cuda" or "auto";

    /// <summary>cpu → CPU; cuda → the first GPU or an error saying none is usable; auto → cuda when available.</summary>
    public static Device Resolve(string name)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new InvalidOperationException("Device 'cuda' was requested but no CUDA device is usable here (CPU build of libtorch, or no GPU). Use device 'cpu' or 'auto', or run a GPU worker built with TorchBackend=cuda.");
                return CUDA;
            case "auto":
                return cuda.is_available() ? CUDA : CPU;
            default:
                throw new ArgumentException($"Unknown device '{name}'; use cpu, cuda or auto.", nameof(name));
        }
    }
}
