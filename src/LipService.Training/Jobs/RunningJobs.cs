using System.Collections.Concurrent;

namespace LipService.Training.Jobs;

/// <summary>
/// The trainings running in this process, so that a cancel received here reaches its runner at
/// once; runners in other processes learn of it from the store (see <see cref="JobWatch"/>).
/// </summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, JobWatch> running = new();

    /// <summary>Stops the job's training at its next batch if it runs in this process.</summary>
    public bool TryCancel(string jobId)
    {
        if (!running.TryGetValue(jobId, out var watch)) return false;
        watch.Cancel();
        return true;
    }

    internal IDisposable Register(string jobId, JobWatch watch)
    {
        running[jobId] = watch;
        return new Registration(this, jobId, watch);
    }

    private sealed class Registration(RunningJobs owner, string jobId, JobWatch watch) : IDisposable
    {
        public void Dispose() => owner.running.TryRemove(new KeyValuePair<string, JobWatch>(jobId, watch));
    }
}
