using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LipService.Api.Storage;

/// <summary>The scale-out store: PostgreSQL through a pooled Npgsql data source.</summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory, IDisposable
{
    private readonly NpgsqlDataSource dataSource;

    public PostgresConnectionFactory(IOptions<StorageOptions> options)
    {
        string connectionString = options.Value.PostgresConnectionString
            ?? throw new InvalidOperationException("Storage:Provider is postgres but ConnectionStrings:Postgres is not set.");
        dataSource = NpgsqlDataSource.Create(connectionString);
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"database '{parsed.Database}' on {parsed.Host}:{parsed.Port} as {parsed.Username}";
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    public string Location { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await dataSource.OpenConnectionAsync(cancellationToken);

    public Task EnsureSchemaAsync(CancellationToken cancellationToken) => StoreMigrator.MigrateAsync(this, cancellationToken);

    public void Dispose() => dataSource.Dispose();
}
