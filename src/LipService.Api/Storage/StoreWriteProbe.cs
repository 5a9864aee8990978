using Dapper;

namespace LipService.Api.Storage;

/// <summary>
/// Shows that the store can still commit a write, not only answer a query: a full disk or a read-only
/// database answers <c>SELECT 1</c> happily while every <c>POST /jobs</c> fails.
/// </summary>
public static class StoreWriteProbe
{
    /// <summary>Throws what the store throws when it cannot write; returns a problem the write alone would not show, or null.</summary>
    public static async Task<string?> ProbeAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        if (connections.Dialect == SqlDialect.Sqlite)
        {
            // SQLite reuses the space its WAL already holds, so a committed write can succeed on a full disk
            // until the WAL must grow; the free space shows the disk is full before a job meets it.
            string? folder = Path.GetDirectoryName(connections.Location);
            if (DiskSpace.FreeBytes(folder) is { } free && free < DiskSpace.MinimumFreeBytes)
            {
                return $"The disk holding the database {connections.Location} has {free / 1024} KiB free (less than {DiskSpace.MinimumFreeBytes / 1024} KiB); "
                    + "new jobs and epochs will fail. Free space on that disk, or move Data:Directory to a larger one.";
            }
        }

        await WriteAsync(connections, cancellationToken);
        return null;
    }

    /// <summary>Commits a write that changes nothing; throws what the store throws when it cannot write.</summary>
    public static async Task WriteAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A committed write that changes nothing: a rolled-back one may never reach the disk (or PostgreSQL's WAL).
        // schema_version has one row, and every build has it, so the probe needs no table of its own.
        await connection.ExecuteAsync(new CommandDefinition("UPDATE schema_version SET version = version", transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
