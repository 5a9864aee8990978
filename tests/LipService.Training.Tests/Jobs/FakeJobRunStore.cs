using LipService.Training.Checkpoints;
using LipService.Training.Engine;
using LipService.Training.Jobs;

namespace LipService.Training.Tests.Jobs;

/// <summary>
/// One job in memory behind the runner's port, with the lease rules of the SQL store (an epoch is
/// recorded with its checkpoint) and hooks to make a branch happen: another runner's live lease, a
/// lost lease at an epoch, a callback per recorded epoch.
/// </summary>
internal sealed class FakeJobRunStore(JobRecord job) : IJobRunStore
{
    private readonly object gate = new();

    public JobRecord Job { get; private set; } = job;

    public List<EpochMetrics> Epochs { get; } = [];

    public TrainingCheckpoint? Checkpoint { get; private set; }

    public ModelRecord? Model { get; private set; }

    public List<string> Calls { get; } = [];

    /// <summary>A lease held by a runner that is still alive.</summary>
    public RunnerId? OtherLiveRunner { get; set; }

    /// <summary>From this epoch on, the lease is gone (another runner took the job over).</summary>
    public int? LoseLeaseAtEpoch { get; set; }

    public Action<EpochMetrics>? OnEpoch { get; set; }

    /// <summary>What a checkpoint write throws (the database gone, say).</summary>
    public Exception? CheckpointError { get; set; }

    public Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (gate) return Task.FromResult<JobRecord?>(id == Job.Id ? Job : null);
    }

    public Task<bool> TryAcquireAsync(string jobId, RunnerId runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            Calls.Add("acquire");
            if (OtherLiveRunner is not null || Job.Status.IsTerminal()) return Task.FromResult(false);
            Job = Job with { LeaseOwner = runner, Status = JobStatus.Running };
            return Task.FromResult(true);
        }
    }

    public Task<bool> RenewLeaseAsync(string jobId, RunnerId runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        => Task.FromResult(Holds(runner));

    public Task<TrainingCheckpoint?> LoadCheckpointAsync(string jobId, CancellationToken cancellationToken = default)
    {
        lock (gate) return Task.FromResult(Checkpoint);
    }

    public async Task<bool> SaveCheckpointAsync(string jobId, RunnerId runner, TrainingCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        // Completes on another thread, as a database client's write does: the next epoch runs there.
        await Task.Yield();
        if (CheckpointError is not null) throw CheckpointError;
        var metrics = checkpoint.History[^1];
        lock (gate)
        {
            if (LoseLeaseAtEpoch is { } lost && checkpoint.Epoch >= lost) Job = Job with { LeaseOwner = new RunnerId("other", 1, "x") };
            if (!Holds(runner)) return false;
            Checkpoint = checkpoint;
            Epochs.Add(metrics);
            Job = Job with { EpochsCompleted = checkpoint.Epoch };
        }
        OnEpoch?.Invoke(metrics);
        return true;
    }

    public Task<bool> CompleteAsync(string jobId, RunnerId runner, ModelRecord model, byte[] weights, IReadOnlyList<EpochMetrics> history, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            Calls.Add("complete");
            if (!Holds(runner)) return Task.FromResult(false);
            Model = model;
            Job = Job with { Status = JobStatus.Succeeded, ModelId = model.Id, LeaseOwner = null };
            Checkpoint = null;
            return Task.FromResult(true);
        }
    }

    public Task<bool> FinishAsync(string jobId, RunnerId runner, JobStatus status, string? error, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            Calls.Add($"finish:{status.ToWire()}");
            if (!Holds(runner)) return Task.FromResult(false);
            Job = Job with { Status = status, Error = error, LeaseOwner = null };
            Checkpoint = null;
            return Task.FromResult(true);
        }
    }

    private bool Holds(RunnerId runner)
    {
        lock (gate) return Job.LeaseOwner == runner;
    }
}
