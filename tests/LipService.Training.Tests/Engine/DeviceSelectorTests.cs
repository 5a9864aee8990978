using LipService.Training.Specs;
using static TorchSharp.torch;

namespace LipService.Training.Tests.Engine;

public class DeviceSelectorTests
{
    [Fact]
    public void CpuAndAutoResolveOnThisMachine()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, DeviceSelector.Resolve(DeviceKind.Cpu).type);
        Assert.Equal(cuda.is_available() ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU, DeviceSelector.Resolve(SpecChoices.Device.Read("AUTO")).type);
    }

    [Fact]
    public void CudaResolvesOnlyWhereAGpuIsUsable()
    {
        if (cuda.is_available())
        {
            Assert.Equal(TorchSharp.DeviceType.CUDA, DeviceSelector.Resolve(DeviceKind.Cuda).type);
            return;
        }
        // The CPU build of libtorch has no CUDA: a job routed here by mistake must say why it cannot run.
        var error = Assert.Throws<InvalidOperationException>(() => DeviceSelector.Resolve(DeviceKind.Cuda));
        Assert.Contains("TorchBackend=cuda", error.Message);
    }
}
