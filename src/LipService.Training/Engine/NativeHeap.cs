using System.Runtime.InteropServices;

namespace LipService.Training.Engine;

/// <summary>
/// glibc's malloc settings for libtorch's CPU allocations: freed blocks stay in the process instead
/// of going back to the kernel, so a training step reuses the previous step's pages.
/// </summary>
/// <remarks>
/// By default glibc serves blocks above its (adaptive) mmap threshold with fresh mappings and trims
/// the heap top above 128 KiB, so the megabytes of activations and gradients of every step are
/// page-faulted in again: on an ortho-conv epoch (2 cores) 32 s of 88 s went to the kernel, and with
/// these settings 10 s of 72 s, the weights bit-identical. Memory stays bounded by the largest step
/// (what a step needs is reused, not added to) — but only per arena: glibc gives new threads arenas of
/// their own (up to 8 per core), each keeping its freed blocks, and jobs land on whichever Hangfire
/// worker is free. Measured over 14 three-class conv jobs in one service (the CI memory test's second
/// row): RSS climbed in 200 MiB steps as jobs met fresh arenas, 1,222 → 1,644 and 1,381 → 1,749 MiB
/// from job 6 to 14 (the test failed at +15 %); with two arenas (MALLOC_ARENA_MAX=2) 1,280 → 1,331 and
/// 1,287 → 1,358 MiB, a step no slower (bench-step at 2 threads, 145–197 ms against 170–232 ms, within
/// the VM's noise). Each job's end gives the freed pages back (<see cref="ReleaseFreed"/>): with both,
/// 796 → 835 and 764 → 834 MiB, and an idle service holds what it uses, not its largest job. The
/// arena limit binds only until glibc has made its ninth arena, so the service applies it first thing.
/// Linux with glibc only; elsewhere nothing changes.
/// </remarks>
public static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2; // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8; // M_ARENA_MAX

    /// <summary>glibc's upper limit for M_MMAP_THRESHOLD on 64-bit (4 MiB · sizeof(long)); larger blocks are rare and still mapped.</summary>
    private const int LargestHeapBlock = 32 << 20;

    private const int KeptFree = 1 << 30;
    private const int Headroom = 256 << 20;

    /// <summary>The main arena and one more: the service's allocating threads are a training job and a few requests.</summary>
    private const int Arenas = 2;

    /// <summary>Applies the settings (again: they are process-wide and idempotent); false where there is no glibc to tune.</summary>
    public static bool Configure()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MmapThreshold, LargestHeapBlock) == 1
                & Mallopt(TrimThreshold, KeptFree) == 1
                & Mallopt(TopPad, Headroom) == 1
                & Mallopt(ArenaMax, Arenas) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and other C libraries: their own allocator, left as it is.
        }
    }

    /// <summary>
    /// Gives the freed pages of every arena back to the kernel, for the end of a job: what a training
    /// keeps for its next step is not held while the service waits for the next job.
    /// </summary>
    /// <returns>False where there is no glibc (nothing was kept), or glibc had nothing to give back.</returns>
    public static bool ReleaseFreed()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    // DllImport: two ints need no marshalling code, and LibraryImport would need unsafe code here.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
