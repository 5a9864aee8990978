namespace LipService.Api.Storage;

/// <summary>The tables of the store. Times are Unix milliseconds and every integer BIGINT, so one schema (and Dapper's row mapping) serves both providers.</summary>
internal static class StoreSchema
{
    public static string Create(SqlDialect dialect) => $"""
        CREATE TABLE IF NOT EXISTS jobs (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            spec TEXT NOT NULL,
            queue TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            started_at BIGINT NULL,
            finished_at BIGINT NULL,
            epochs_completed BIGINT NOT NULL DEFAULT 0,
            model_id TEXT NULL,
            error TEXT NULL,
            cancel_requested BIGINT NOT NULL DEFAULT 0,
            sweep_id TEXT NULL,
            lease_owner TEXT NULL,
            lease_expires_at BIGINT NULL);
        CREATE INDEX IF NOT EXISTS ix_jobs_created_at ON jobs (created_at);
        CREATE INDEX IF NOT EXISTS ix_jobs_sweep_id ON jobs (sweep_id);
        CREATE TABLE IF NOT EXISTS sweeps (
            id TEXT PRIMARY KEY,
            created_at BIGINT NOT NULL,
            request TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS epochs (
            job_id TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            loss DOUBLE PRECISION NOT NULL,
            kr DOUBLE PRECISION NOT NULL,
            hinge DOUBLE PRECISION NOT NULL,
            accuracy DOUBLE PRECISION NOT NULL,
            val_loss DOUBLE PRECISION NOT NULL,
            val_kr DOUBLE PRECISION NOT NULL,
            val_hinge DOUBLE PRECISION NOT NULL,
            val_accuracy DOUBLE PRECISION NOT NULL,
            seconds DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (job_id, epoch));
        CREATE TABLE IF NOT EXISTS checkpoints (
            job_id TEXT PRIMARY KEY,
            epoch BIGINT NOT NULL,
            model_state {dialect.BlobType} NOT NULL,
            optimizer_state {dialect.BlobType} NOT NULL,
            history TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS models (
            id TEXT PRIMARY KEY,
            job_id TEXT NOT NULL,
            spec TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            lipschitz_bound DOUBLE PRECISION NOT NULL,
            trainable_parameters BIGINT NOT NULL,
            metrics TEXT NOT NULL,
            certified_accuracy TEXT NOT NULL,
            weights {dialect.BlobType} NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_models_created_at ON models (created_at);
        """;

    /// <summary>Version 3: an alias names one model; no foreign key, as models are never deleted and SQLite would not enforce it by default.</summary>
    public const string Aliases = """
        CREATE TABLE aliases (
            name TEXT PRIMARY KEY,
            model_id TEXT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE INDEX ix_aliases_model_id ON aliases (model_id);
        """;

    /// <summary>
    /// Version 6: uploaded datasets. A row is <c>uploading</c> while its chunks are written (each in its own
    /// short transaction, so a long upload never holds the store's write lock) and <c>ready</c> after;
    /// an upload that fails deletes its rows, and one whose process died is swept once <c>updated_at</c> is stale.
    /// A chunk holds up to 1 MiB of samples (a label byte, then channels × height × width pixel bytes), gzip-compressed.
    /// </summary>
    public static string Datasets(SqlDialect dialect) => $"""
        CREATE TABLE datasets (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            name TEXT NOT NULL,
            format TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            upload_bytes BIGINT NOT NULL,
            channels BIGINT NOT NULL DEFAULT 0,
            height BIGINT NOT NULL DEFAULT 0,
            width BIGINT NOT NULL DEFAULT 0,
            train_count BIGINT NOT NULL DEFAULT 0,
            validation_count BIGINT NOT NULL DEFAULT 0,
            stored_bytes BIGINT NOT NULL DEFAULT 0,
            classes TEXT NULL,
            thumbnails TEXT NULL);
        CREATE TABLE dataset_chunks (
            dataset_id TEXT NOT NULL,
            split BIGINT NOT NULL,
            seq BIGINT NOT NULL,
            samples BIGINT NOT NULL,
            data {dialect.BlobType} NOT NULL,
            PRIMARY KEY (dataset_id, split, seq));
        """;
}
