using LipService.Models.Export;
using Dapper;
using LipService.Api.Storage;
using LipService.Training.Data;
using LipService.Training.Engine;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LipService.Api.Tests.Storage;

/// <summary>The store's schema version: new databases get the latest, older ones are migrated keeping their data, newer ones are refused untouched.</summary>
public sealed class StoreMigrationTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("lipservice-migrate-").FullName;

    private SqliteConnectionFactory Connections() => new(Options.Create(new StorageOptions { Directory = directory }));

    [Fact]
    public async Task ANewDatabaseGetsTheLatestVersionAndMigratingAgainChangesNothing()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        await connections.EnsureSchemaAsync(CancellationToken.None);
        Assert.Equal([StoreMigrations.Latest], await VersionsAsync(connections));
    }

    [Fact]
    public async Task ADatabaseWrittenBeforeVersioningIsMigratedWithItsJobs()
    {
        var connections = Connections();
        await using (var c = await connections.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync(StoreSchema.Create(connections.Dialect));
        var store = new SqlJobStore(connections, TimeProvider.System);
        var job = new JobRecord { Id = "legacy", Status = JobStatus.Queued, Queue = "training", Spec = new TrainingSpec { Seed = 7 }, CreatedAt = DateTimeOffset.UtcNow };
        await store.CreateJobAsync(job);

        await connections.EnsureSchemaAsync(CancellationToken.None);

        Assert.Equal([StoreMigrations.Latest], await VersionsAsync(connections));
        Assert.Equal(7, (await store.GetJobAsync("legacy"))!.Spec.Seed);
    }

    [Fact]
    public async Task AVersionTwoDatabaseGainsAliasesAndKeepsItsModels()
    {
        // Version 3 added the aliases table, 4 models.layer_gains (5 no table) and 6 the dataset tables: a version-2 database is one without any.
        Assert.Equal(6, StoreMigrations.Latest);
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        var store = new SqlJobStore(connections, TimeProvider.System);
        var job = new JobRecord { Id = "j2", Status = JobStatus.Queued, Queue = "training", Spec = new TrainingSpec(), CreatedAt = DateTimeOffset.UtcNow };
        await store.CreateJobAsync(job);
        var runner = new RunnerId("host", 1, "r");
        Assert.True(await store.TryAcquireAsync("j2", runner, TimeSpan.FromMinutes(1)));
        var metrics = new EpochMetrics(1, -1, 2, 0.1, 0.9, -1.5, 2.5, 0.05, 0.95, 0.3);
        Assert.True(await store.CompleteAsync("j2", runner, new ModelRecord
        {
            Id = "m2", JobId = "j2", Spec = new TrainingSpec(), CreatedAt = DateTimeOffset.UtcNow, LipschitzBound = 1,
            TrainableParameters = 1, Metrics = metrics, CertifiedAccuracy = [],
        }, [7], [metrics]));
        await using (var c = await connections.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("DROP TABLE aliases; DROP TABLE datasets; DROP TABLE dataset_chunks; ALTER TABLE models DROP COLUMN layer_gains; UPDATE schema_version SET version = 2");

        await connections.EnsureSchemaAsync(CancellationToken.None);

        Assert.Equal([(long)StoreMigrations.Latest], await VersionsAsync(connections));
        var model = (await store.GetNewestModelAsync())!;
        Assert.Equal("m2", model.Id);
        Assert.Null(model.LayerGains);
        Assert.Empty(await store.ListAliasesAsync());
        Assert.Equal("m2", (await store.SetAliasAsync("default", "m2"))!.ModelId);
    }

    [Fact]
    public async Task ModelsKeepTheirLayerGains()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        var store = new SqlJobStore(connections, TimeProvider.System);
        var spec = new TrainingSpec { Classes = [1, 7, 3], Architecture = ArchitectureKind.OrthoConv, Channels = [4], Hidden = [], Loss = LossKind.OffsetCrossEntropy };
        await store.CreateJobAsync(new JobRecord { Id = "j4", Status = JobStatus.Queued, Queue = "training", Spec = spec, CreatedAt = DateTimeOffset.UtcNow });
        var runner = new RunnerId("host", 1, "r");
        Assert.True(await store.TryAcquireAsync("j4", runner, TimeSpan.FromMinutes(1)));
        var metrics = new EpochMetrics(1, -1, 2, 0.1, 0.9, -1.5, 2.5, 0.05, 0.95, 0.3);
        LayerGain[] gains = [new("conv0", 0.91, 0.52, 1.000001), new("down0", 0.9999995, 0.999998, 1.0000002)];
        Assert.True(await store.CompleteAsync("j4", runner, new ModelRecord
        {
            Id = "m4", JobId = "j4", Spec = spec, CreatedAt = DateTimeOffset.UtcNow, LipschitzBound = 1,
            TrainableParameters = 1, Metrics = metrics, CertifiedAccuracy = [], LayerGains = gains,
        }, [7], [metrics]));

        var model = (await store.GetModelAsync("m4"))!;
        Assert.Equal(gains, model.LayerGains);
        Assert.Equal((ArchitectureKind.OrthoConv, LossKind.OffsetCrossEntropy), (model.Spec.Architecture, model.Spec.Loss));
    }

    [Fact]
    public async Task ADatabaseFromANewerVersionIsRefusedAndLeftAsItWas()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        await using (var c = await connections.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("UPDATE schema_version SET version = 999");

        var error = await Assert.ThrowsAsync<StoreVersionException>(() => connections.EnsureSchemaAsync(CancellationToken.None));

        Assert.Contains("schema version 999", error.Message);
        Assert.Contains($"up to {StoreMigrations.Latest}", error.Message);
        Assert.Contains(connections.Location, error.Message);
        Assert.Equal([999], await VersionsAsync(connections));
    }

    [Fact]
    public async Task ATableDroppedOutsideTheServiceIsReportedNotRecreatedEmpty()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        await using (var c = await connections.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("DROP TABLE models");

        var error = await Assert.ThrowsAsync<StoreVersionException>(() => connections.EnsureSchemaAsync(CancellationToken.None));

        Assert.Contains("'models'", error.Message);
        await using var check = await connections.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'models'"));
    }

    [Fact]
    public async Task AnUploadedDatasetsSpecKeepsItsInputShapeAndClassNames()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        var store = new SqlJobStore(connections, TimeProvider.System);
        var spec = new TrainingSpec
        {
            Dataset = DatasetRef.Uploaded("ds-0123456789abcdef01234567"),
            Input = new ImageShape(3, 16, 12),
            Classes = [2, 0],
            ClassNames = ["cat", null, "dog"],
        };
        await store.CreateJobAsync(new JobRecord { Id = "u", Status = JobStatus.Queued, Queue = "training", Spec = spec, CreatedAt = DateTimeOffset.UtcNow });
        await using (var c = await connections.OpenAsync(CancellationToken.None))
        {
            string json = await c.ExecuteScalarAsync<string>("SELECT spec FROM jobs WHERE id = 'u'") ?? "";
            Assert.Contains("\"dataset\":\"ds-0123456789abcdef01234567\"", json);
            Assert.EndsWith("\"input\":[3,16,12],\"classNames\":[\"cat\",null,\"dog\"]}", json);
        }

        var read = (await store.GetJobAsync("u"))!.Spec;
        Assert.Equal(spec.Dataset, read.Dataset);
        Assert.Equal(new ImageShape(3, 16, 12), read.Input);
        Assert.Equal(["dog", "cat"], read.Classes.Select(read.ClassName));
        Assert.Equal("1", read.ClassName(1));
    }

    [Fact]
    public async Task StoredSpecsKeepTheirFieldNamesWhateverTheCSharpNames()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        var store = new SqlJobStore(connections, TimeProvider.System);
        await store.CreateJobAsync(new JobRecord { Id = "j", Status = JobStatus.Queued, Queue = "training", Spec = new TrainingSpec(), CreatedAt = DateTimeOffset.UtcNow });
        await using var c = await connections.OpenAsync(CancellationToken.None);
        string json = await c.ExecuteScalarAsync<string>("SELECT spec FROM jobs WHERE id = 'j'") ?? "";
        Assert.Equal(
            """{"dataset":"mnist","positiveClass":0,"negativeClass":8,"hidden":[32,16],"activation":"groupsort2","alpha":10,"minMargin":1,"learningRate":0.001,"epochs":10,"batchSize":128,"seed":42,"device":"auto","normalization":"default","preset":"notebook","classes":[0,8],"architecture":"dense","channels":[],"loss":"hkr","tau":10,"learningRateSchedule":"constant"}""",
            json);
    }

    [Fact]
    public async Task SpecsStoredBeforeVersionTwoReadAsTheBinaryDenseModelTheyWere()
    {
        var connections = Connections();
        await connections.EnsureSchemaAsync(CancellationToken.None);
        var store = new SqlJobStore(connections, TimeProvider.System);
        await store.CreateJobAsync(new JobRecord { Id = "old", Status = JobStatus.Queued, Queue = "training", Spec = new TrainingSpec(), CreatedAt = DateTimeOffset.UtcNow });
        await using (var c = await connections.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("""UPDATE jobs SET spec = '{"dataset":"mnist","positiveClass":3,"negativeClass":5,"hidden":[32,16],"activation":"groupsort2","alpha":10,"minMargin":1,"learningRate":0.001,"epochs":10,"batchSize":128,"seed":7,"device":"auto","normalization":"default"}' WHERE id = 'old'""");
        }
        var spec = (await store.GetJobAsync("old", CancellationToken.None))!.Spec;
        Assert.Equal([3, 5], spec.Classes);
        Assert.Equal(("notebook", ArchitectureKind.Dense, LossKind.Hkr, ScheduleKind.Constant), (spec.Preset, spec.Architecture, spec.Loss, spec.LearningRateSchedule));
        Assert.Empty(spec.Channels);
        Assert.Empty(spec.Validate());
    }

    private static async Task<List<long>> VersionsAsync(IDbConnectionFactory connections)
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        return [.. await c.QueryAsync<long>("SELECT version FROM schema_version")];
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
