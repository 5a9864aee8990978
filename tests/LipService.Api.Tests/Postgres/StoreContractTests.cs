using LipService.Api.Storage;
using LipService.Models.Certificates;
using LipService.Training.Checkpoints;
using LipService.Training.Engine;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using Microsoft.Extensions.Options;

namespace LipService.Api.Tests.Postgres;

/// <summary>The store's promises, on both providers: fencing by lease, epochs keyed by (job, epoch), atomic completion.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreContractTests(PostgresServer server) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("lipservice-store-").FullName;
    private readonly List<IDisposable> owned = [];
    private static readonly RunnerId RunnerA = new("host-a", 101, "a");
    private static readonly RunnerId RunnerB = new("host-b", 202, "b");

    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnlyTheLeaseHolderWritesAndEpochsAreKeyedByJobAndEpoch(string provider)
    {
        var store = await CreateStoreAsync(provider);
        var job = NewJob();
        await store.CreateJobAsync(job);

        Assert.True(await store.TryAcquireAsync(job.Id, RunnerA, TimeSpan.FromMinutes(1)));
        Assert.False(await store.TryAcquireAsync(job.Id, RunnerB, TimeSpan.FromMinutes(1)));
        Assert.Equal(JobStatus.Running, (await store.GetJobAsync(job.Id))!.Status);
        Assert.Equal(RunnerA, (await store.GetJobAsync(job.Id))!.LeaseOwner);

        // The epoch's row is written with the checkpoint that ends it, in one transaction.
        var epoch = new EpochMetrics(1, -1, 2, 0.1, 0.9, -1.5, 2.5, 0.05, 0.95, 0.3);
        var checkpoint = new TrainingCheckpoint(1, [1, 2], [3], [epoch]);
        Assert.False(await store.SaveCheckpointAsync(job.Id, RunnerB, checkpoint));
        Assert.Null(await store.LoadCheckpointAsync(job.Id));
        Assert.Empty(await store.GetEpochsAsync(job.Id));
        Assert.True(await store.SaveCheckpointAsync(job.Id, RunnerA, checkpoint));
        Assert.True(await store.SaveCheckpointAsync(job.Id, RunnerA, checkpoint with { History = [epoch with { Loss = -1.25 }] }));
        Assert.Equal([epoch with { Loss = -1.25 }], await store.GetEpochsAsync(job.Id));
        Assert.Equal(1, (await store.LoadCheckpointAsync(job.Id))!.Epoch);
        Assert.Equal([1, 2], (await store.LoadCheckpointAsync(job.Id))!.ModelState);
        Assert.Equal(1, (await store.GetJobAsync(job.Id))!.EpochsCompleted);

        var model = NewModel(job.Id);
        Assert.False(await store.CompleteAsync(job.Id, RunnerB, model, [9], [epoch]));
        Assert.Null(await store.GetModelAsync(model.Id));
        Assert.True(await store.CompleteAsync(job.Id, RunnerA, model, [9, 9], [epoch with { Loss = -1.25 }]));
        var done = (await store.GetJobAsync(job.Id))!;
        Assert.Equal((JobStatus.Succeeded, model.Id, 1), (done.Status, done.ModelId, done.EpochsCompleted));
        Assert.Null(await store.LoadCheckpointAsync(job.Id));
        Assert.Equal([9, 9], await store.GetModelWeightsAsync(model.Id));
        Assert.Equal(model.CertifiedAccuracy, (await store.GetModelAsync(model.Id))!.CertifiedAccuracy);
        Assert.Equal(model.Id, (await store.GetNewestModelAsync())!.Id);
        Assert.False(await store.RequestCancelAsync(job.Id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnExpiredLeaseCanBeTakenOverAndTheOldRunnerIsFencedOut(string provider)
    {
        var store = await CreateStoreAsync(provider);
        var job = NewJob();
        await store.CreateJobAsync(job);
        Assert.True(await store.TryAcquireAsync(job.Id, RunnerB, TimeSpan.FromMilliseconds(1)));
        await Task.Delay(20);
        Assert.True(await store.TryAcquireAsync(job.Id, RunnerA, TimeSpan.FromMinutes(1)));
        Assert.False(await store.RenewLeaseAsync(job.Id, RunnerB, TimeSpan.FromMinutes(1)));
        Assert.False(await store.FinishAsync(job.Id, RunnerB, JobStatus.Failed, "late"));
        Assert.True(await store.FinishAsync(job.Id, RunnerA, JobStatus.Cancelled, null));
        Assert.Equal(JobStatus.Cancelled, (await store.GetJobAsync(job.Id))!.Status);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CancellingAQueuedJobEndsItAndARunningOneIsFlagged(string provider)
    {
        var store = await CreateStoreAsync(provider);
        var queued = NewJob();
        var running = NewJob();
        await store.CreateJobAsync(queued);
        await store.CreateJobAsync(running);
        await store.TryAcquireAsync(running.Id, RunnerA, TimeSpan.FromMinutes(1));

        Assert.True(await store.RequestCancelAsync(queued.Id));
        Assert.True(await store.RequestCancelAsync(running.Id));
        Assert.Equal(JobStatus.Cancelled, (await store.GetJobAsync(queued.Id))!.Status);
        var flagged = (await store.GetJobAsync(running.Id))!;
        Assert.Equal((JobStatus.Running, true), (flagged.Status, flagged.CancelRequested));
        Assert.Equal([running.Id], (await store.ListUnfinishedJobsAsync()).Select(j => j.Id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ARunningJobWhoseRunnerIsGoneIsCancelledAtOnce(string provider)
    {
        var store = await CreateStoreAsync(provider);
        var job = NewJob();
        await store.CreateJobAsync(job);
        Assert.True(await store.TryAcquireAsync(job.Id, RunnerB, TimeSpan.FromMilliseconds(1)));
        Assert.True(await store.SaveCheckpointAsync(job.Id, RunnerB, new TrainingCheckpoint(1, [1], [2], [])));
        await Task.Delay(20);

        Assert.True(await store.RequestCancelAsync(job.Id));

        var cancelled = (await store.GetJobAsync(job.Id))!;
        Assert.Equal((JobStatus.Cancelled, (RunnerId?)null), (cancelled.Status, cancelled.LeaseOwner));
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Null(await store.LoadCheckpointAsync(job.Id));
        Assert.Empty(await store.ListUnfinishedJobsAsync());
        // The runner, should it come back, can write nothing more.
        Assert.False(await store.FinishAsync(job.Id, RunnerB, JobStatus.Failed, "late"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CompletionBackFillsEpochsACheckpointLeftOut(string provider)
    {
        // Epoch 2's row is missing, as when a build that wrote rows apart from checkpoints was
        // killed between the two: completion writes every epoch of the run.
        var store = await CreateStoreAsync(provider);
        var job = NewJob();
        await store.CreateJobAsync(job);
        Assert.True(await store.TryAcquireAsync(job.Id, RunnerA, TimeSpan.FromMinutes(1)));
        var history = Enumerable.Range(1, 2).Select(e => new EpochMetrics(e, -e, e, 0.1, 0.9, -e, e, 0.05, 0.95, 0.3)).ToList();
        Assert.True(await store.SaveCheckpointAsync(job.Id, RunnerA, new TrainingCheckpoint(1, [1], [2], history[..1])));

        Assert.True(await store.CompleteAsync(job.Id, RunnerA, NewModel(job.Id), [9], history));

        Assert.Equal(history, await store.GetEpochsAsync(job.Id));
        Assert.Equal(2, (await store.GetJobAsync(job.Id))!.EpochsCompleted);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AliasesPointAtExistingModelsAndMoveAndGoAway(string provider)
    {
        var store = await CreateStoreAsync(provider);
        var first = await CompletedModelAsync(store);
        var second = await CompletedModelAsync(store);

        Assert.Null(await store.SetAliasAsync("default", "no-such-model"));
        Assert.Empty(await store.ListAliasesAsync());

        var set = (await store.SetAliasAsync("default", first))!;
        Assert.Equal(("default", first), (set.Name, set.ModelId));
        Assert.Equal(set, await store.GetAliasAsync("default"));
        Assert.NotNull(await store.SetAliasAsync("canary", first));

        // Moving an alias replaces its row; the other alias keeps its model.
        var moved = (await store.SetAliasAsync("default", second))!;
        Assert.Equal(second, (await store.GetAliasAsync("default"))!.ModelId);
        Assert.True(moved.UpdatedAt >= set.UpdatedAt);
        Assert.Equal([("canary", first), ("default", second)], (await store.ListAliasesAsync()).Select(a => (a.Name, a.ModelId)));
        Assert.Equal(["canary"], (await store.ListAliasesAsync(first)).Select(a => a.Name));
        Assert.Equal(["default"], (await store.ListAliasesAsync(second)).Select(a => a.Name));

        // A failed move leaves the alias where it was.
        Assert.Null(await store.SetAliasAsync("default", "no-such-model"));
        Assert.Equal(second, (await store.GetAliasAsync("default"))!.ModelId);

        // Under a model, only an alias that points at it goes.
        Assert.False(await store.DeleteAliasAsync("default", first));
        Assert.Equal(second, (await store.GetAliasAsync("default"))!.ModelId);
        Assert.True(await store.DeleteAliasAsync("default", second));
        Assert.NotNull(await store.SetAliasAsync("default", second));
        Assert.True(await store.DeleteAliasAsync("default"));
        Assert.False(await store.DeleteAliasAsync("default"));
        Assert.Null(await store.GetAliasAsync("default"));
        Assert.Equal(["canary"], (await store.ListAliasesAsync()).Select(a => a.Name));
        Assert.NotNull(await store.GetModelAsync(second));
    }

    private static async Task<string> CompletedModelAsync(SqlJobStore store)
    {
        var job = NewJob();
        await store.CreateJobAsync(job);
        Assert.True(await store.TryAcquireAsync(job.Id, RunnerA, TimeSpan.FromMinutes(1)));
        var model = NewModel(job.Id);
        Assert.True(await store.CompleteAsync(job.Id, RunnerA, model, [1], []));
        return model.Id;
    }

    private async Task<SqlJobStore> CreateStoreAsync(string provider)
    {
        IDbConnectionFactory connections;
        if (provider == "postgres")
        {
            var database = new PostgresDatabase(server);
            owned.Add(database);
            var factory = new PostgresConnectionFactory(Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, PostgresConnectionString = database.ConnectionString }));
            owned.Add(factory);
            connections = factory;
        }
        else
        {
            connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { Directory = directory }));
        }
        await connections.EnsureSchemaAsync(CancellationToken.None);
        // Twice: schema creation must be idempotent.
        await connections.EnsureSchemaAsync(CancellationToken.None);
        return new SqlJobStore(connections, TimeProvider.System);
    }

    private static JobRecord NewJob() => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Status = JobStatus.Queued,
        Queue = "training",
        Spec = new TrainingSpec { Epochs = 2 },
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static ModelRecord NewModel(string jobId) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        JobId = jobId,
        Spec = new TrainingSpec(),
        CreatedAt = DateTimeOffset.UtcNow,
        LipschitzBound = 1.0000001,
        TrainableParameters = 25_664,
        Metrics = new EpochMetrics(1, -1, 2, 0.1, 0.9, -1.5, 2.5, 0.05, 0.95, 0.3),
        CertifiedAccuracy = [new CertifiedAccuracyPoint(0.5, 0.97), new CertifiedAccuracyPoint(1.0, 0.9)],
    };

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
