using LipService.Api.Jobs;
using LipService.Api.Storage;
using LipService.Api.Tests.Http;
using LipService.Api.Tests.Postgres;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using Microsoft.Extensions.DependencyInjection;

namespace LipService.Api.Tests.Reliability;

/// <summary>
/// A run that finds its job held by another live runner escapes to Hangfire, which retries it
/// later; the retry must come back to the job's own queue (the one the workers read), on both
/// storages. Before the queue was stored on the Hangfire job, retries went to "default" and the
/// job stayed running forever.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetryQueueTests(PostgresServer server)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ARetriedJobReturnsToItsQueueAndSucceeds(string provider)
    {
        using var database = provider == "postgres" ? new PostgresDatabase(server) : null;
        using var factory = new Factory(database?.ConnectionString);
        using var client = factory.CreateClient();
        var services = factory.Services;

        var job = new JobRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Status = JobStatus.Queued,
            Queue = "training",
            Spec = new TrainingSpec { Epochs = 1, Seed = 1, Device = DeviceKind.Cpu },
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await services.GetRequiredService<IJobCatalog>().CreateJobAsync(job);
        // A runner elsewhere holds the job for two more seconds: the first run must step back.
        Assert.True(await services.GetRequiredService<IJobRunStore>().TryAcquireAsync(job.Id, new RunnerId("elsewhere", 1, "live"), TimeSpan.FromSeconds(2)));
        services.GetRequiredService<JobScheduler>().Enqueue(job);

        // Hangfire's first retry comes after 5 s, and its scheduler looks for due jobs every 15 s.
        var ended = await client.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(90));
        ApiClient.AssertStatus(ended, "succeeded");
    }

    private sealed class Factory(string? postgres) : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => postgres is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["Storage:Provider"] = "postgres", ["ConnectionStrings:Postgres"] = postgres };
    }
}
