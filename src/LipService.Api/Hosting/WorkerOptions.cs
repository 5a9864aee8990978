namespace LipService.Api.Hosting;

/// <summary>The Hangfire server of a process that runs jobs (configuration section "Worker").</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Queues this process takes jobs from, in priority order; a GPU worker lists e.g. gpu, training.</summary>
    public string[] Queues { get; set; } = [];

    /// <summary>Trainings at once in this process; one keeps predictions fast while a job runs (on a GPU box: one per GPU).</summary>
    public int ConcurrentTrainings { get; set; } = 1;

    /// <summary>The default when no queue is configured (the configuration binder appends to array defaults, so it is kept apart).</summary>
    public IReadOnlyList<string> EffectiveQueues => Queues.Length > 0 ? Queues : [QueueRoutingOptions.DefaultCpuQueue];
}
