using System.Runtime.InteropServices;
using LipService.Training.Data;
using LipService.Training.Engine;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using LipService.Training.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace LipService.Training.Tests.Jobs;

/// <summary>Each way a run of <see cref="TrainingJob"/> can end, against a fake of the runner's port and real digits.</summary>
public sealed class TrainingJobTests
{
    // Two short epochs on 512 real digits: enough to cross an epoch boundary, quick to run.
    private static readonly TrainingSpec Spec = new() { Epochs = 2, Device = DeviceKind.Cpu, Seed = 3 };

    private readonly RunningJobs running = new();

    private readonly RecordingTrainingMetrics metrics = new();

    [Fact]
    public async Task ASuccessfulRunRecordsEveryEpochAndStoresTheModel()
    {
        var store = new FakeJobRunStore(NewJob());
        await NewRunner(store).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, store.Job.Status);
        Assert.Equal([1, 2], store.Epochs.Select(e => e.Epoch));
        Assert.Equal(store.Job.Id, store.Model!.JobId);
        Assert.Equal(store.Model.Id, store.Job.ModelId);
        Assert.InRange(store.Model.LipschitzBound, 0.9, 1.01);
        Assert.Null(store.Job.LeaseOwner);
        Assert.Equal(store.Epochs.Select(e => e.Seconds), metrics.EpochSeconds);
        Assert.Equal([JobStatus.Succeeded], metrics.Finished);
    }

    [Fact]
    public async Task AJobAnotherLiveRunnerHoldsIsLeftToItAndRetriedLater()
    {
        var store = new FakeJobRunStore(NewJob()) { OtherLiveRunner = new RunnerId("other", 7, "live") };
        // Escaping the job is what makes Hangfire retry it after a delay.
        await Assert.ThrowsAsync<JobLeaseException>(() => NewRunner(store).RunAsync(store.Job.Id, CancellationToken.None));
        Assert.Equal(["acquire"], store.Calls);
        Assert.Empty(store.Epochs);
    }

    [Fact]
    public async Task ACancelRequestedBeforeTheStartEndsTheJobWithoutTraining()
    {
        var store = new FakeJobRunStore(NewJob() with { CancelRequested = true });
        var data = new RecordingData();
        await NewRunner(store, data).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, store.Job.Status);
        Assert.Equal(0, data.Calls);
        Assert.Equal([JobStatus.Cancelled], metrics.Finished);
    }

    [Fact]
    public async Task ACancelDeliveredInProcessStopsTheTrainingAndEndsTheJobCancelled()
    {
        var store = new FakeJobRunStore(NewJob() with { Spec = Spec with { Epochs = 20 } });
        store.OnEpoch = m => { if (m.Epoch == 1) running.TryCancel(store.Job.Id); };
        await NewRunner(store).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, store.Job.Status);
        Assert.Equal([1], store.Epochs.Select(e => e.Epoch));
        Assert.Null(store.Model);
        Assert.Single(metrics.EpochSeconds);
        Assert.Equal([JobStatus.Cancelled], metrics.Finished);
    }

    [Fact]
    public async Task ATrainingErrorFailsTheJobWithItsMessageAndIsNotRetried()
    {
        var store = new FakeJobRunStore(NewJob());
        var data = new RecordingData { Error = new MnistUnavailableException("/nowhere", ["train-images-idx3-ubyte.gz"], "MNIST is missing from /nowhere.") };
        await NewRunner(store, data).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, store.Job.Status);
        Assert.Equal("MNIST is missing from /nowhere.", store.Job.Error);
        Assert.Equal([JobStatus.Failed], metrics.Finished);
    }

    [Fact]
    public async Task ALibtorchErrorFailsTheJobWithOneSentenceWithoutItsNativeTrace()
    {
        // A real libtorch error: its message carries "Exception raised from …" and native frames with build paths.
        var native = Assert.ThrowsAny<ExternalException>(() =>
        {
            using var nanValue = double.NaN.ToScalar();
            using var nan = torch.full(3, 3, nanValue);
            using var values = torch.linalg.svdvals(nan);
        });
        Assert.Contains("Exception raised from", native.Message);
        var store = new FakeJobRunStore(NewJob());
        await NewRunner(store, new RecordingData { Error = native }).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, store.Job.Status);
        string error = store.Job.Error!;
        Assert.StartsWith("Training failed inside libtorch: linalg.svd", error);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("Exception raised from", error);
        Assert.DoesNotContain("/pytorch/", error);
        Assert.InRange(error.Length, 40, TrainingFailure.MaxQuoted + 40);
    }

    [Fact]
    public async Task AnUnexpectedErrorNamesItsKindAndPointsAtTheLog()
    {
        var store = new FakeJobRunStore(NewJob());
        var data = new RecordingData { Error = new InvalidOperationException("Sequence contains no elements\n   at /home/build/src/Secret.cs:line 12") };
        await NewRunner(store, data).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, store.Job.Status);
        Assert.Equal("Training failed unexpectedly (InvalidOperationException); the service log has the details under this job's id.", store.Job.Error);
    }

    [Fact]
    public void ADivergedRunSaysWhichEpochAndWhatToChange()
    {
        string error = TrainingFailure.Describe(new TrainingDivergedException(3, double.NaN));
        Assert.Equal("Training diverged in epoch 3: the loss became NaN (not a finite number); a lower learningRate usually fixes it.", error);
    }

    [Fact]
    public async Task ALostLeaseStopsThisRunnerWithoutWritingAnOutcome()
    {
        var store = new FakeJobRunStore(NewJob()) { LoseLeaseAtEpoch = 2 };
        await NewRunner(store).RunAsync(store.Job.Id, CancellationToken.None);

        // The runner that took the lease over writes the outcome; this one writes nothing more.
        Assert.Equal(JobStatus.Running, store.Job.Status);
        Assert.Equal([1], store.Epochs.Select(e => e.Epoch));
        Assert.DoesNotContain(store.Calls, c => c.StartsWith("finish", StringComparison.Ordinal) || c == "complete");
        // The new holder counts the job when it ends it; counted here too, it would be counted twice.
        Assert.Empty(metrics.Finished);
    }

    [Fact]
    public async Task ACheckpointTheStoreCannotWriteFailsTheJob()
    {
        var store = new FakeJobRunStore(NewJob()) { CheckpointError = new InvalidOperationException("the database went away") };
        await NewRunner(store).RunAsync(store.Job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Failed, store.Job.Status);
        Assert.Equal("Training failed unexpectedly (InvalidOperationException); the service log has the details under this job's id.", store.Job.Error);
        Assert.Empty(store.Epochs);
        Assert.Equal([JobStatus.Failed], metrics.Finished);
    }

    [Fact]
    public async Task AShutdownLeavesTheJobRunningWithItsCheckpointToResume()
    {
        using var shutdown = new CancellationTokenSource();
        var store = new FakeJobRunStore(NewJob() with { Spec = Spec with { Epochs = 20 } });
        store.OnEpoch = m => { if (m.Epoch == 1) shutdown.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewRunner(store).RunAsync(store.Job.Id, shutdown.Token));

        Assert.Equal(JobStatus.Running, store.Job.Status);
        Assert.Equal(1, store.Checkpoint!.Epoch);
        Assert.DoesNotContain(store.Calls, c => c.StartsWith("finish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEndedOrUnknownJobIsNotRunAgain()
    {
        var store = new FakeJobRunStore(NewJob() with { Status = JobStatus.Succeeded });
        await NewRunner(store).RunAsync(store.Job.Id, CancellationToken.None);
        await NewRunner(store).RunAsync("unknown", CancellationToken.None);
        Assert.Empty(store.Calls);
    }

    private TrainingJob NewRunner(FakeJobRunStore store, RecordingData? data = null) => new(
        store, data ?? new RecordingData(), running,
        Options.Create(new TrainingJobOptions { IntraOpThreads = 1, WatchInterval = TimeSpan.FromMilliseconds(20) }),
        NullLogger<TrainingJob>.Instance,
        metrics);

    private static JobRecord NewJob() => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Status = JobStatus.Queued,
        Queue = "training",
        Spec = Spec,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private sealed class RecordingData : ITrainingDataSource
    {
        public int Calls { get; private set; }

        public Exception? Error { get; init; }

        public (ClassTaskData Train, ClassTaskData Test) Get(TrainingSpec spec, CancellationToken cancellationToken = default)
        {
            Calls++;
            if (Error is not null) throw Error;
            return (NotebookTask.Head(NotebookTask.Train, 512), NotebookTask.Head(NotebookTask.Test, 128));
        }
    }
}
