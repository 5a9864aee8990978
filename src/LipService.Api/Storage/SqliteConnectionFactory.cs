using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LipService.Api.Storage;

/// <summary>The embedded default: one SQLite file under <see cref="StorageOptions.Directory"/>, in WAL mode.</summary>
public sealed class SqliteConnectionFactory : IDbConnectionFactory
{
    private readonly string connectionString;

    public SqliteConnectionFactory(IOptions<StorageOptions> options)
    {
        string path = options.Value.DatabasePath;
        Location = path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Busy waits up to DefaultTimeout instead of failing when the writer is busy.
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public string Location { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using (var connection = await OpenAsync(cancellationToken))
            {
                // WAL lets readers (SSE, /jobs) proceed while a training writes its epoch; it cannot be set inside a transaction.
                await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            }
            await StoreMigrator.MigrateAsync(this, cancellationToken);
            // A database already at this version is not written by the migration; a read-only file would
            // otherwise first fail in the job recovery, with SQLite's message and no path.
            await StoreWriteProbe.WriteAsync(this, cancellationToken);
        }
        catch (SqliteException e) when (StoreFailure.Classify(e, Location) is { } kind)
        {
            // SQLite's own message ("file is not a database") names no file; the operator needs the path and a way out.
            throw new StoreOpenException($"cannot open the store: {StoreFailure.Describe(kind, Location, e)}", e);
        }
    }
}
