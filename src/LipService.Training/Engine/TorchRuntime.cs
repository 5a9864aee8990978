using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>Process-wide libtorch settings.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Sets libtorch's intra-op thread count. On small machines one thread is fastest for these
    /// small matrices: measured on 2 cores, two threads under load were several times slower.
    /// </summary>
    public static void ConfigureThreads(int intraOpThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        if (get_num_threads() != intraOpThreads) set_num_threads(intraOpThreads);
        // Every training path sets its threads first; the allocator settings belong to the same start.
        NativeHeap.Configure();
    }
}
