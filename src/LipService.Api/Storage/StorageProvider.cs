namespace LipService.Api.Storage;

/// <summary>Where jobs, metrics, checkpoints and models are stored, and where Hangfire queues.</summary>
public enum StorageProvider
{
    /// <summary>Embedded default: a SQLite file and Hangfire's in-memory queue, one process.</summary>
    Sqlite,

    /// <summary>Scale-out: PostgreSQL for both, shared by any number of api and worker processes.</summary>
    Postgres,
}
