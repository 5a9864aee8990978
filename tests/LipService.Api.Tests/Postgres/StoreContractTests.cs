using LipService.Api.Datasets;
using LipService.Api.Storage;
using LipService.Models.Certificates;
using LipService.Training.Checkpoints;
using LipService.Training.Data;
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

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DatasetsRoundTripThroughChunksAndStayWhileAJobNeedsThem(string provider)
    {
        var store = await CreateStoreAsync(provider);
        const string id = "ds-00112233445566778899aabb";
        var shape = new ImageShape(3, 9, 8);
        Assert.True(await store.BeginDatasetAsync(id, "tiny", "idx", 1234));
        Assert.False(await store.BeginDatasetAsync(id, "again", "idx", 1234));
        Assert.Null(await store.GetDatasetAsync(id));

        // 400 samples of 217 bytes in chunks of 2 KB: many chunk boundaries on both splits.
        var writer = new DatasetChunkWriter(store, id, CancellationToken.None, chunkBytes: 2048) { ValidationFraction = 0.25 };
        var pixels = new byte[shape.Pixels];
        for (int n = 0; n < 400; n++)
        {
            for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(n * 7 + i);
            writer.Add(pixels, n % 3 == 0 ? 5 : 200);
        }
        writer.Finish();
        // Every fourth sample of each class is held out, evenly through the class.
        Assert.Equal([101, 33], writer.Counts[5]);
        Assert.Equal([200, 66], writer.Counts[200]);
        var record = new DatasetRecord(id, "tiny", "idx", DateTimeOffset.UtcNow, shape,
            [new DatasetClass(5, "5", 101, 33), new DatasetClass(200, "200", 200, 66)], 301, 99, 1234, writer.StoredBytes,
            [new DatasetThumbnail(5, [1, 2, 3])]);
        await store.CompleteDatasetAsync(record);

        var stored = (await store.GetDatasetAsync(id))!;
        Assert.Equal((shape, 301, 99, "tiny"), (stored.Shape, stored.TrainCount, stored.ValidationCount, stored.Name));
        Assert.Equal(record.Classes, stored.Classes);
        Assert.Equal([1, 2, 3], stored.Thumbnails.Single().Png);
        Assert.Equal([id], (await store.ListDatasetsAsync()).Select(d => d.Id));
        var (train, trainLabels) = await DatasetSamples.ReadAsync(store, id, DatasetChunkWriter.TrainingSplit, shape, CancellationToken.None);
        var (validation, validationLabels) = await DatasetSamples.ReadAsync(store, id, DatasetChunkWriter.ValidationSplit, shape, CancellationToken.None);
        Assert.Equal((301, 99), (trainLabels.Length, validationLabels.Length));
        // Each split keeps upload order; sample k of a class went to validation when k mod 4 = 3.
        var seen = new Dictionary<int, int>();
        var expected = new List<int>[] { [], [] };
        for (int n = 0; n < 400; n++)
        {
            int label = n % 3 == 0 ? 5 : 200;
            int k = seen[label] = seen.GetValueOrDefault(label, -1) + 1;
            expected[k % 4 == 3 ? 1 : 0].Add(n);
        }
        foreach (var (split, images, labels) in new[] { (0, train, trainLabels), (1, validation, validationLabels) })
        {
            for (int j = 0; j < expected[split].Count; j++)
            {
                int n = expected[split][j];
                Assert.Equal(n % 3 == 0 ? 5 : 200, labels[j]);
                Assert.True(Enumerable.Range(0, shape.Pixels).All(i => images[(j * shape.Pixels) + i] == (byte)(n * 7 + i)), $"split {split} image {j} is not sample {n}");
            }
        }

        // While a queued job trains on it, it stays.
        var job = NewJob() with { Spec = new TrainingSpec { Dataset = DatasetRef.Uploaded(id), Input = shape, Classes = [5, 200] } };
        await store.CreateJobAsync(job);
        Assert.Equal(DatasetDeletion.InUse, await store.DeleteDatasetAsync(id));
        Assert.True(await store.RequestCancelAsync(job.Id));
        Assert.Equal(DatasetDeletion.Deleted, await store.DeleteDatasetAsync(id));
        Assert.Equal(DatasetDeletion.NotFound, await store.DeleteDatasetAsync(id));
        Assert.Empty(await store.ReadDatasetChunksAsync(id, DatasetChunkWriter.TrainingSplit));

        // An upload that failed, or whose process died, leaves nothing.
        Assert.True(await store.BeginDatasetAsync(id, "tiny", "idx", 1));
        // Only the segment is stored, not the reused buffer behind it.
        await store.AddDatasetChunkAsync(id, 0, 0, 1, new ArraySegment<byte>([7, 8, 9], 0, 2));
        Assert.Equal([7, 8], (await store.ReadDatasetChunksAsync(id, 0)).Single().Data);
        await store.DiscardDatasetUploadAsync(id);
        Assert.Empty(await store.ReadDatasetChunksAsync(id, 0));
        Assert.True(await store.BeginDatasetAsync(id, "tiny", "idx", 1));
        await store.AddDatasetChunkAsync(id, 0, 0, 1, new ArraySegment<byte>([1]));
        Assert.Equal(0, await store.DiscardStaleDatasetUploadsAsync(DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.Equal(1, await store.DiscardStaleDatasetUploadsAsync(DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.True(await store.BeginDatasetAsync(id, "tiny", "idx", 1));
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
