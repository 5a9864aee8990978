using Hangfire;
using LipService.Api.Hosting;
using LipService.Api.Storage;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using Microsoft.Extensions.Options;

namespace LipService.Api.Jobs;

/// <summary>Creates job records and hands them to Hangfire. Our store is written first, so a job the queue loses is found again at start-up.</summary>
public sealed class JobScheduler(IJobCatalog store, IBackgroundJobClient hangfire, IOptions<QueueRoutingOptions> routing, TimeProvider time)
{
    public async Task<JobRecord> SubmitAsync(TrainingSpec spec, CancellationToken cancellationToken, string? sweepId = null)
    {
        var job = new JobRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Status = JobStatus.Queued,
            Spec = spec,
            CreatedAt = time.GetUtcNow(),
            Queue = routing.Value.QueueFor(spec.Device),
            SweepId = sweepId,
        };
        await store.CreateJobAsync(job, cancellationToken);
        Enqueue(job);
        return job;
    }

    /// <summary>Queues a run of a stored job; running it twice is harmless (the lease decides).</summary>
    /// <remarks>
    /// The queue is stored on the Hangfire job itself, not only in the state that enqueues it, so
    /// that every later enqueue (AutomaticRetry after a lease conflict, a shutdown, a storage error)
    /// returns it to the queue its workers read instead of "default", which none does.
    /// </remarks>
    public void Enqueue(JobRecord job)
    {
        string id = job.Id;
        hangfire.Enqueue<TrainingJob>(job.Queue, j => j.RunAsync(id, CancellationToken.None));
    }
}
