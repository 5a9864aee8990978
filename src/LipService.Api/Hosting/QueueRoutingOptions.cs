using LipService.Training.Specs;

namespace LipService.Api.Hosting;

/// <summary>Which queue a job goes to, by the device its spec asks for (configuration section "Routing").</summary>
public sealed class QueueRoutingOptions
{
    public const string SectionName = "Routing";
    public const string DefaultCpuQueue = "training";
    public const string DefaultGpuQueue = "gpu";

    /// <summary>Jobs with device cpu or auto: any worker can run them.</summary>
    public string CpuQueue { get; set; } = DefaultCpuQueue;

    /// <summary>Jobs with device cuda: only workers built with the CUDA backend should declare this queue.</summary>
    public string GpuQueue { get; set; } = DefaultGpuQueue;

    public string QueueFor(DeviceKind device) => device == DeviceKind.Cuda ? GpuQueue : CpuQueue;
}
