using Npgsql;

namespace LipService.Api.Tests.Postgres;

/// <summary>
/// A fresh, empty database on the PostgreSQL server that CI starts (.ci/run), dropped afterwards.
/// The server is required, not optional: without it these tests fail, they are never skipped.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    /// <summary>Override with LIPSERVICE_TEST_POSTGRES (a login that may CREATE DATABASE).</summary>
    public static string AdminConnectionString { get; } =
        Environment.GetEnvironmentVariable("LIPSERVICE_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=lipservice;Password=lipservice;Database=postgres";

    private readonly string name = "lipservice_test_" + Guid.NewGuid().ToString("N")[..12];

    public PostgresDatabase()
    {
        try
        {
            using var admin = new NpgsqlConnection(AdminConnectionString);
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is required for these tests and could not be reached with '{AdminConnectionString}' "
                + "(set LIPSERVICE_TEST_POSTGRES, or run bash .ci/run, which installs and starts it).", e);
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false }.ToString();
    }

    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(AdminConnectionString);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }
}
