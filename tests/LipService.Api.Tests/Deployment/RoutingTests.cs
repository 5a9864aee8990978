using LipService.Api.Hosting;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Deployment;

/// <summary>The GPU path cannot run here; what can be checked on CPU is that jobs asking for cuda go to the GPU queue.</summary>
public class RoutingTests
{
    [Theory]
    [InlineData("cuda", "gpu")]
    [InlineData("CUDA", "gpu")]
    [InlineData("cpu", "training")]
    [InlineData("auto", "training")]
    public void DevicePicksTheQueue(string device, string queue) => Assert.Equal(queue, new QueueRoutingOptions().QueueFor(SpecChoices.Device.Read(device)));

    [Fact]
    public void WorkersDefaultToTheTrainingQueue() => Assert.Equal(["training"], new WorkerOptions().EffectiveQueues);
}
