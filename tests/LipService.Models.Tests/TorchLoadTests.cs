using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class TorchLoadTests
{
    [Fact]
    public void NativeLibrariesLoadDespiteOlderLibstdcxx()
    {
        // Fails with a NotSupportedException when build/PatchLibTorchSharp.targets did not weaken
        // libLibTorchSharp.so's GLIBCXX_3.4.32 requirement on a Debian 12 libstdc++.
        using var sum = ones(3).sum();
        Assert.Equal(3f, sum.item<float>());
    }
}
