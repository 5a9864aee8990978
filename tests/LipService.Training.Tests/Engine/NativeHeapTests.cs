using LipService.Training.Engine;

namespace LipService.Training.Tests.Engine;

/// <summary>The allocator settings reach glibc (the P/Invoke resolves and mallopt accepts every value).</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void GlibcAcceptsTheSettings()
    {
        // The process runs on glibc when its libc.so.6 is mapped; the CI machines and the image are Debian.
        bool glibc = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("/libc.so.6", StringComparison.Ordinal);
        Assert.True(glibc, "these tests run on Linux with glibc (Debian); the settings are only for it");
        Assert.True(NativeHeap.KeepFreedMemory(), "mallopt refused a setting or could not be called");
    }
}
