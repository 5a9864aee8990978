using System.Data.Common;
using Dapper;
using LipService.Training.Checkpoints;
using LipService.Training.Engine;
using LipService.Training.Jobs;

namespace LipService.Api.Storage;

/// <summary>
/// The runners' <see cref="IJobRunStore"/> and the host's catalogs (<see cref="IJobCatalog"/>, <see cref="IModelCatalog"/>,
/// <see cref="ISweepCatalog"/>, <see cref="IAliasCatalog"/>, <see cref="IDatasetCatalog"/>) over SQL with Dapper: the same statements serve SQLite and PostgreSQL
/// (upserts are <c>INSERT … ON CONFLICT</c> in both). Runner writes are fenced by the job's lease.
/// </summary>
public sealed partial class SqlJobStore(IDbConnectionFactory connections, TimeProvider time) : IJobRunStore, IJobCatalog, IModelCatalog, ISweepCatalog, IAliasCatalog, IDatasetCatalog
{
    private const string JobColumns = "id, status, spec, queue, created_at, started_at, finished_at, epochs_completed, model_id, error, cancel_requested, sweep_id, lease_owner";
    private const string ModelColumns = "id, job_id, spec, created_at, lipschitz_bound, trainable_parameters, metrics, certified_accuracy, lipschitz_lower_bound, layer_gains";

    static SqlJobStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task CreateJobAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO jobs ({JobColumns}) VALUES (@Id, @Status, @Spec, @Queue, @CreatedAt, NULL, NULL, 0, NULL, NULL, 0, @SweepId, NULL)",
            new { job.Id, Status = job.Status.ToWire(), Spec = StoredJson.Spec(job.Spec), job.Queue, CreatedAt = job.CreatedAt.ToUnixTimeMilliseconds(), job.SweepId },
            cancellationToken: cancellationToken));
    }

    public async Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobColumns} FROM jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToRecord(row);
    }

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobColumns} FROM jobs ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", new { offset, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<int> CountJobsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return (int)await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM jobs", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<JobRecord>> ListUnfinishedJobsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobColumns} FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at", cancellationToken: cancellationToken));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<bool> TryAcquireAsync(string jobId, RunnerId runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        long now = Now;
        await using var c = await connections.OpenAsync(cancellationToken);
        int updated = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET lease_owner = @runner, lease_expires_at = @expires, status = 'running',
                started_at = COALESCE(started_at, @now)
            WHERE id = @jobId AND status IN ('queued', 'running')
              AND (lease_owner IS NULL OR lease_owner = @runner OR lease_expires_at < @now)
            """,
            new { jobId, runner = runner.ToString(), now, expires = now + (long)leaseDuration.TotalMilliseconds }, cancellationToken: cancellationToken));
        return updated == 1;
    }

    public async Task<bool> RenewLeaseAsync(string jobId, RunnerId runner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET lease_expires_at = @expires WHERE id = @jobId AND lease_owner = @runner",
            new { jobId, runner = runner.ToString(), expires = Now + (long)leaseDuration.TotalMilliseconds }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task ReleaseAllLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IS NOT NULL", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string jobId, int afterEpoch = 0, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<EpochRow>(new CommandDefinition(
            "SELECT epoch, loss, kr, hinge, accuracy, val_loss, val_kr, val_hinge, val_accuracy, seconds FROM epochs WHERE job_id = @jobId AND epoch > @afterEpoch ORDER BY epoch",
            new { jobId, afterEpoch }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new EpochMetrics((int)r.Epoch, r.Loss, r.Kr, r.Hinge, r.Accuracy, r.ValLoss, r.ValKr, r.ValHinge, r.ValAccuracy, r.Seconds))];
    }

    public async Task<TrainingCheckpoint?> LoadCheckpointAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<CheckpointRow>(new CommandDefinition(
            "SELECT epoch, model_state, optimizer_state, history FROM checkpoints WHERE job_id = @jobId", new { jobId }, cancellationToken: cancellationToken));
        return row is null ? null : new TrainingCheckpoint((int)row.Epoch, row.ModelState, row.OptimizerState,
            [.. StoredJson.History(row.History)]);
    }

    public async Task<bool> SaveCheckpointAsync(string jobId, RunnerId runner, TrainingCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        // Re-asserting the lease inside the transaction fences the write against a second runner.
        int held = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET epochs_completed = @Epoch WHERE id = @jobId AND lease_owner = @runner",
            new { jobId, runner = runner.ToString(), checkpoint.Epoch }, tx, cancellationToken: cancellationToken));
        if (held != 1) return false;
        // The epoch's row commits with the checkpoint that holds it: a process killed between
        // two separate writes used to resume after the checkpoint and never write the row.
        await UpsertEpochsAsync(c, tx, jobId, checkpoint.History.Where(m => m.Epoch == checkpoint.Epoch), cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO checkpoints (job_id, epoch, model_state, optimizer_state, history) VALUES (@jobId, @Epoch, @ModelState, @OptimizerState, @history)
            ON CONFLICT (job_id) DO UPDATE SET epoch = excluded.epoch, model_state = excluded.model_state,
                optimizer_state = excluded.optimizer_state, history = excluded.history
            """,
            new { jobId, checkpoint.Epoch, checkpoint.ModelState, checkpoint.OptimizerState, history = StoredJson.History(checkpoint.History) }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Epoch rows keyed by (job, epoch): writing one again replaces it with the same values.</summary>
    private static async Task UpsertEpochsAsync(DbConnection c, DbTransaction tx, string jobId, IEnumerable<EpochMetrics> epochs, CancellationToken cancellationToken)
    {
        foreach (var m in epochs)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO epochs (job_id, epoch, loss, kr, hinge, accuracy, val_loss, val_kr, val_hinge, val_accuracy, seconds)
                VALUES (@jobId, @Epoch, @Loss, @Kr, @Hinge, @Accuracy, @ValLoss, @ValKr, @ValHinge, @ValAccuracy, @Seconds)
                ON CONFLICT (job_id, epoch) DO UPDATE SET loss = excluded.loss, kr = excluded.kr, hinge = excluded.hinge,
                    accuracy = excluded.accuracy, val_loss = excluded.val_loss, val_kr = excluded.val_kr,
                    val_hinge = excluded.val_hinge, val_accuracy = excluded.val_accuracy, seconds = excluded.seconds
                """,
                new { jobId, m.Epoch, m.Loss, m.Kr, m.Hinge, m.Accuracy, m.ValLoss, m.ValKr, m.ValHinge, m.ValAccuracy, m.Seconds }, tx, cancellationToken: cancellationToken));
        }
    }

    public async Task<bool> CompleteAsync(string jobId, RunnerId runner, ModelRecord model, byte[] weights, IReadOnlyList<EpochMetrics> history, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        int held = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET status = 'succeeded', finished_at = @now, model_id = @modelId, error = NULL,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @jobId AND lease_owner = @runner
            """,
            new { jobId, runner = runner.ToString(), now = Now, modelId = model.Id }, tx, cancellationToken: cancellationToken));
        if (held != 1) return false;
        await c.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO models ({ModelColumns}, weights) VALUES (@Id, @JobId, @Spec, @CreatedAt, @LipschitzBound, @TrainableParameters, @Metrics, @CertifiedAccuracy, @LipschitzLowerBound, @LayerGains, @weights)",
            new
            {
                model.Id,
                model.JobId,
                Spec = StoredJson.Spec(model.Spec),
                CreatedAt = model.CreatedAt.ToUnixTimeMilliseconds(),
                model.LipschitzBound,
                model.TrainableParameters,
                Metrics = StoredJson.Metrics(model.Metrics),
                CertifiedAccuracy = StoredJson.CertifiedAccuracy(model.CertifiedAccuracy),
                model.LipschitzLowerBound,
                LayerGains = model.LayerGains is { } gains ? StoredJson.LayerGains(gains) : null,
                weights,
            }, tx, cancellationToken: cancellationToken));
        // Every epoch of the run, once: fills any row a checkpoint of an older build left out.
        await UpsertEpochsAsync(c, tx, jobId, history, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("UPDATE jobs SET epochs_completed = @count WHERE id = @jobId", new { jobId, count = history.Count }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM checkpoints WHERE job_id = @jobId", new { jobId }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> FinishAsync(string jobId, RunnerId runner, JobStatus status, string? error, CancellationToken cancellationToken = default)
    {
        if (status is not (JobStatus.Failed or JobStatus.Cancelled)) throw new ArgumentOutOfRangeException(nameof(status), status, "Only failed or cancelled finish a job this way.");
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        int updated = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET status = @status, error = @error, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @jobId AND lease_owner = @runner
            """,
            new { jobId, runner = runner.ToString(), status = status.ToWire(), error, now = Now }, tx, cancellationToken: cancellationToken));
        if (updated != 1) return false;
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM checkpoints WHERE job_id = @jobId", new { jobId }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> RequestCancelAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        // A queued job, or a running one whose runner is gone (no lease, or a lapsed one), has nobody
        // to stop it: it ends here. A live runner sees the flag within its watch interval.
        // SET expressions see the row as it was, so the CASEs test the old values.
        const string Unattended = "(status = 'queued' OR lease_owner IS NULL OR lease_expires_at < @now)";
        int updated = await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE jobs SET cancel_requested = 1,
                status = CASE WHEN {Unattended} THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN {Unattended} THEN @now ELSE finished_at END,
                lease_owner = CASE WHEN {Unattended} THEN NULL ELSE lease_owner END,
                lease_expires_at = CASE WHEN {Unattended} THEN NULL ELSE lease_expires_at END
            WHERE id = @jobId AND status IN ('queued', 'running')
            """,
            new { jobId, now = Now }, tx, cancellationToken: cancellationToken));
        if (updated != 1) return false;
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM checkpoints WHERE job_id = @jobId AND EXISTS (SELECT 1 FROM jobs WHERE id = @jobId AND status = 'cancelled')",
            new { jobId }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static JobRecord ToRecord(JobRow r) => new()
    {
        Id = r.Id,
        Status = JobStatusExtensions.ParseWire(r.Status),
        Spec = StoredJson.Spec(r.Spec),
        Queue = r.Queue,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
        StartedAt = r.StartedAt is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null,
        FinishedAt = r.FinishedAt is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
        EpochsCompleted = (int)r.EpochsCompleted,
        ModelId = r.ModelId,
        Error = r.Error,
        CancelRequested = r.CancelRequested != 0,
        SweepId = r.SweepId,
        LeaseOwner = r.LeaseOwner is { } owner ? RunnerId.Parse(owner) : null,
    };
}
