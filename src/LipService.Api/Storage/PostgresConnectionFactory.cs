using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LipService.Api.Storage;

/// <summary>The scale-out store: PostgreSQL through a pooled Npgsql data source.</summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory, IDisposable
{
    // Any constant shared by all LipService processes: serialises schema creation between them.
    private const long SchemaLockKey = 0x4C6970536572;

    private readonly NpgsqlDataSource dataSource;

    public PostgresConnectionFactory(IOptions<StorageOptions> options)
    {
        string connectionString = options.Value.PostgresConnectionString
            ?? throw new InvalidOperationException("Storage:Provider is postgres but ConnectionStrings:Postgres is not set.");
        dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    public DbConnection Open() => dataSource.OpenConnection();

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await dataSource.OpenConnectionAsync(cancellationToken);

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (duplicate pg_type rows):
        // processes starting together against an empty database take turns.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = SchemaLockKey }, transaction);
        await connection.ExecuteAsync(StoreSchema.Create(Dialect), transaction: transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public void Dispose() => dataSource.Dispose();
}
