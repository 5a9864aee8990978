namespace LipService.Api.Storage;

/// <summary>The few places where SQLite and PostgreSQL differ; everything else is shared SQL.</summary>
/// <param name="BlobType">The column type of byte arrays.</param>
/// <param name="SchemaLock">Run first in the migration transaction so that processes starting together take turns (SQLite's write transaction already excludes other writers).</param>
public sealed record SqlDialect(string BlobType, string? SchemaLock)
{
    public static SqlDialect Sqlite { get; } = new("BLOB", null);

    // Any constant shared by all LipService processes (0x4C6970536572, "LipSer"). CREATE TABLE IF NOT EXISTS is not safe
    // against a concurrent twin on PostgreSQL (duplicate pg_type rows).
    public static SqlDialect Postgres { get; } = new("BYTEA", "SELECT pg_advisory_xact_lock(84015739790706)");
}
