using LipService.Models.Export;
using LipService.Models.Losses;
using LipService.Models.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class LeakTests
{
    [Fact]
    public void TrainingStepsAndPredictionsLeaveLiveTensorCountUnchanged()
    {
        using var network = new LipschitzNetwork(new LipschitzNetworkSpec(), new Generator(1));
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        using var data = rand(128, 784, generator: new Generator(2));
        using var half = 0.5.ToScalar();
        using var labels = where(data.mean([1]) > half, 1f, -1f);
        Step(network, optimizer, data, labels); // Adam allocates its moments on the first step.
        network.Refresh();
        using var exported = ExportedNetwork.From(network);
        using var digit = rand(1, 784, generator: new Generator(3));
        Predict(exported, digit);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 1_000; i++) Step(network, optimizer, data, labels);
        for (int i = 0; i < 10_000; i++) Predict(exported, digit);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(before, after);
    }

    private static void Step(LipschitzNetwork network, OptimizerHelper optimizer, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        HkrLoss.HKR(network.forward(x), y).backward();
        optimizer.step();
    }

    private static float Predict(ExportedNetwork exported, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        return exported.forward(x).item<float>();
    }
}
