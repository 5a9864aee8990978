namespace LipService.Training.Specs;

/// <summary>Where a spec asks to train; <see cref="DeviceSelector.Resolve"/> maps it to a TorchSharp device.</summary>
public enum DeviceKind
{
    Cpu,

    /// <summary>The first GPU; training fails when none is usable.</summary>
    Cuda,

    /// <summary>Cuda when available, else the CPU.</summary>
    Auto,
}
