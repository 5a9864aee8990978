using LipService.Api.Storage;
using Npgsql;

namespace LipService.Api.Hosting;

/// <summary>The settings that decide which services exist, checked before any is built.</summary>
internal static class StartupChecks
{
    /// <summary>Throws <see cref="StartupException"/> naming the key; makes Data:Directory absolute.</summary>
    public static void Check(LipServiceHostOptions host, StorageOptions storage)
    {
        if (string.IsNullOrWhiteSpace(storage.Directory)) throw new StartupException("Data:Directory must name a folder.");
        // Relative to the folder the service was started in (dotnet run: where the command was typed).
        storage.Directory = Path.GetFullPath(storage.Directory);

        if (host.Role != ServiceRole.All && storage.Provider == StorageProvider.Sqlite)
        {
            // The SQLite store and the in-memory queue are one process's: an api-only or worker-only
            // process would queue jobs nobody runs, or wait for jobs nobody queues.
            throw new StartupException($"Role {host.Role.ToString().ToLowerInvariant()} needs Storage:Provider=postgres and ConnectionStrings:Postgres; the embedded SQLite mode runs as Role all.");
        }

        if (storage.Provider == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(storage.PostgresConnectionString))
                throw new StartupException("Storage:Provider is postgres: set ConnectionStrings:Postgres.");
            try
            {
                _ = new NpgsqlConnectionStringBuilder(storage.PostgresConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new StartupException($"ConnectionStrings:Postgres is not a valid connection string: {e.Message}", e);
            }
        }
        else
        {
            EnsureWritable(storage.Directory);
        }
    }

    /// <summary>The SQLite file will be created there; better to say so now than at the first job.</summary>
    private static void EnsureWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Data:Directory '{directory}' cannot be created or written: {e.Message.TrimEnd('.')}. Choose another folder with --Data:Directory.", e);
        }
    }
}
