using System.Runtime.InteropServices;

namespace LipService.Api.Serving;

/// <summary>Runs an attack on a new thread, reniced on Linux so that serving threads win a contested core.</summary>
/// <remarks>
/// .NET's Thread.Priority does nothing on Linux; setpriority on the thread's id does, and raising a
/// thread's own nice value needs no privilege. The thread ends with the attack, so nothing else inherits it.
/// </remarks>
internal static class AttackThreads
{
    public static Task<T> RunAsync<T>(Func<T> work, int nice)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Renice(nice);
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "attack",
        };
        thread.Start();
        return done.Task;
    }

    private static void Renice(int nice)
    {
        if (nice <= 0 || !OperatingSystem.IsLinux()) return;
        try
        {
            // PRIO_PROCESS with a thread id sets that thread alone (Linux threads are scheduled as tasks).
            _ = SetPriority(0, GetThreadId(), nice);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without gettid (glibc < 2.30): the attack runs at normal priority, still bounded in number.
        }
    }

    // DllImport, not LibraryImport: the generator would need unsafe code enabled for two int calls.
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
