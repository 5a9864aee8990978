using System.Data.Common;
using Dapper;

namespace LipService.Api.Storage;

/// <summary>
/// Brings a database to <see cref="StoreMigrations.Latest"/> in one transaction, and refuses one
/// written by a newer build (it may hold data this build would misread or damage) or one that
/// lacks a table its version promises (a table dropped by hand is not recreated empty).
/// </summary>
internal static class StoreMigrator
{
    private const string VersionTable = "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)";

    /// <returns>The version the database had before.</returns>
    public static async Task<int> MigrateAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        int found;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (connections.Dialect.SchemaLock is { } schemaLock) await connection.ExecuteAsync(schemaLock, transaction: transaction);
            await connection.ExecuteAsync(VersionTable, transaction: transaction);
            found = (int)(await connection.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_version", transaction: transaction) ?? 0);
            if (found > StoreMigrations.Latest)
            {
                throw new StoreVersionException(
                    $"The database {connections.Location} has store schema version {found}, written by a newer LipService; "
                    + $"this build knows versions up to {StoreMigrations.Latest}. Run the newer build, or point the service at another database.");
            }
            foreach (var migration in StoreMigrations.All.Where(m => m.Version > found))
                await migration.ApplyAsync(connection, transaction, connections.Dialect);
            if (found < StoreMigrations.Latest)
            {
                await connection.ExecuteAsync("DELETE FROM schema_version", transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO schema_version (version) VALUES (@version)", new { version = StoreMigrations.Latest }, transaction);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await CheckTablesAsync(connections, cancellationToken);
        return found;
    }

    private static async Task CheckTablesAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (string table in StoreMigrations.Tables)
        {
            try
            {
                await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table} WHERE 1 = 0", cancellationToken: cancellationToken));
            }
            catch (DbException e)
            {
                throw new StoreVersionException(
                    $"The database {connections.Location} is at store schema version {StoreMigrations.Latest} but its table '{table}' cannot be read ({e.Message.Trim()}); "
                    + "it was dropped or damaged outside LipService. Restore it from a backup, or point the service at another database.");
            }
        }
    }
}
