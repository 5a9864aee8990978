namespace LipService.Api.Storage;

/// <summary>The few places where SQLite and PostgreSQL differ; everything else is shared SQL.</summary>
public sealed record SqlDialect(string Name, string BlobType)
{
    public static SqlDialect Sqlite { get; } = new("sqlite", "BLOB");

    public static SqlDialect Postgres { get; } = new("postgres", "BYTEA");
}
