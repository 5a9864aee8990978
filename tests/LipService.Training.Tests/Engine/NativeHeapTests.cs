using LipService.Training.Engine;

namespace LipService.Training.Tests.Engine;

/// <summary>The allocator settings reach glibc (the P/Invokes resolve, mallopt accepts every value, malloc_trim gives freed pages back).</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void GlibcAcceptsTheSettings()
    {
        // The process runs on glibc when its libc.so.6 is mapped; the CI machines and the image are Debian.
        bool glibc = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("/libc.so.6", StringComparison.Ordinal);
        Assert.True(glibc, "these tests run on Linux with glibc (Debian); the settings are only for it");
        Assert.True(NativeHeap.Configure(), "mallopt refused a setting or could not be called");
    }

    [Fact]
    public void FreedBlocksGoBackAtTheEndOfAJob()
    {
        Assert.True(NativeHeap.Configure(), "mallopt refused a setting or could not be called");
        // 64 blocks of 4 MiB, below the mmap threshold: freed into the heap, where the settings keep them.
        var blocks = new List<TorchSharp.torch.Tensor>();
        for (int i = 0; i < 64; i++) blocks.Add(TorchSharp.torch.ones(1 << 20));
        blocks.ForEach(b => b.Dispose());
        Assert.True(NativeHeap.ReleaseFreed(), "malloc_trim gave nothing back after 256 MiB were freed");
    }
}
