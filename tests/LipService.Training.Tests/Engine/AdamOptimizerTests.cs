using LipService.Models.Losses;
using LipService.Models.Networks;
using LipService.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Training.Tests.Engine;

public class AdamOptimizerTests
{
    [Fact]
    public void StepsLikeTorchsAdam()
    {
        using var ours = new LipschitzNetwork(new LipschitzNetworkSpec { Hidden = [16] }, new Generator(1));
        using var theirs = new LipschitzNetwork(new LipschitzNetworkSpec { Hidden = [16] }, new Generator(1));
        using var adam = new AdamOptimizer(ours.parameters(), 1e-2);
        using var reference = optim.Adam(theirs.parameters(), 1e-2);
        var generator = new Generator(2);
        using var half = 0.5.ToScalar();
        for (int step = 0; step < 50; step++)
        {
            using var scope = NewDisposeScope();
            var x = rand(32, 784, generator: generator);
            var y = where(x.mean([1]) > half, 1f, -1f);
            adam.ZeroGrad();
            HkrLoss.HKR(ours.forward(x), y).backward();
            adam.Step();
            reference.zero_grad();
            HkrLoss.HKR(theirs.forward(x), y).backward();
            reference.step();
        }
        var expected = theirs.state_dict();
        foreach (var (name, value) in ours.state_dict())
        {
            // Same formula; only the order of floating-point operations differs.
            float difference = (value - expected[name]).abs().max().item<float>();
            Assert.True(difference < 1e-5, $"{name}: max |Δ| = {difference}");
        }
        Assert.Equal(50, adam.Steps);
    }

    [Fact]
    public void StateRoundTripsAndRejectsAnotherNetwork()
    {
        using var network = new LipschitzNetwork(new LipschitzNetworkSpec(), new Generator(3));
        using var adam = new AdamOptimizer(network.parameters(), 1e-3);
        using (var scope = NewDisposeScope())
        {
            HkrLoss.HKR(network.forward(rand(8, 784)), ones(8)).backward();
            adam.Step();
        }
        byte[] state = adam.SaveState();
        using var restored = new AdamOptimizer(network.parameters(), 1e-3);
        restored.LoadState(state);
        Assert.Equal(1, restored.Steps);
        Assert.Equal(state, restored.SaveState());

        using var other = new LipschitzNetwork(new LipschitzNetworkSpec { Hidden = [8, 8, 8] });
        using var mismatched = new AdamOptimizer(other.parameters(), 1e-3);
        Assert.Throws<InvalidDataException>(() => mismatched.LoadState(state));
    }
}
