namespace LipService.Api.Storage;

/// <summary>The few places where SQLite and PostgreSQL differ; everything else is shared SQL.</summary>
public sealed record SqlDialect(string BlobType)
{
    public static SqlDialect Sqlite { get; } = new("BLOB");

    public static SqlDialect Postgres { get; } = new("BYTEA");
}
