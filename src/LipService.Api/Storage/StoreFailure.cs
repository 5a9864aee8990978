using System.Data.Common;
using LipService.Api.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LipService.Api.Storage;

/// <summary>
/// Sorts the store's exceptions into the few a user or operator can meet — a full disk, a database
/// that cannot be reached or written, a damaged file — and says what to do about each. Anything not
/// recognised here is a bug and stays a plain 500 with its stack trace in the log.
/// </summary>
public static class StoreFailure
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html).
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoErr = 10, SqliteCorrupt = 11,
        SqliteFull = 13, SqliteCantOpen = 14, SqliteNotADb = 26;

    /// <param name="sqliteFile">The SQLite database file, whose disk tells a full disk from another I/O error; null for PostgreSQL.</param>
    public static StoreFailureKind? Classify(Exception exception, string? sqliteFile)
    {
        foreach (var e in ExceptionChain.Of(exception))
        {
            switch (e)
            {
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode switch
                    {
                        SqliteFull => StoreFailureKind.DiskFull,
                        // A write that finds no room often reports an I/O error rather than SQLITE_FULL (WAL and shared-memory files).
                        SqliteIoErr => DiskSpace.IsNearlyFull(Path.GetDirectoryName(sqliteFile)) ? StoreFailureKind.DiskFull : StoreFailureKind.Unavailable,
                        SqliteReadOnly or SqliteCantOpen or SqliteBusy or SqliteLocked => StoreFailureKind.Unavailable,
                        SqliteCorrupt or SqliteNotADb => StoreFailureKind.Damaged,
                        _ => null,
                    };
                case PostgresException postgres:
                    // 53100 disk_full; class 53 (insufficient resources), 08 (connection), 57P0x (shutting down, cannot connect now).
                    if (postgres.SqlState == PostgresErrorCodes.DiskFull) return StoreFailureKind.DiskFull;
                    if (postgres.SqlState.StartsWith("53", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P0", StringComparison.Ordinal))
                        return StoreFailureKind.Unavailable;
                    return null;
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException:
                    return StoreFailureKind.Unavailable;
            }
        }
        return null;
    }

    public static StoreFailureKind? Classify(Exception exception, IDbConnectionFactory connections) =>
        Classify(exception, connections.Dialect == SqlDialect.Sqlite ? connections.Location : null);

    /// <summary>What failed, where the database is and what to do: the detail of a problem, a health report or a start-up error.</summary>
    public static string Describe(StoreFailureKind kind, string location, Exception exception) => kind switch
    {
        StoreFailureKind.DiskFull =>
            $"The disk holding the database {location} is full ({Reason(exception)}). Free space on that disk (or move Data:Directory to a larger one), then try again.",
        StoreFailureKind.Damaged =>
            $"The database {location} is not a LipService database or is damaged ({Reason(exception)}). Restore it from a backup, or move the file away to start with an empty store, or point the service at another database.",
        _ =>
            $"The database {location} cannot be used ({Reason(exception)}). Check that it is reachable and writable (SQLite: a read-write disk, and a folder and file the service's user may write), then try again.",
    };

    private static string Reason(Exception exception)
    {
        var db = ExceptionChain.Of(exception).OfType<DbException>().FirstOrDefault() ?? exception;
        return db.Message.Trim().TrimEnd('.');
    }
}
