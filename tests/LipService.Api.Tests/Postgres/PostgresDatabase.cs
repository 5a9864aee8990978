using Npgsql;

namespace LipService.Api.Tests.Postgres;

/// <summary>
/// A fresh, empty database on the tests' <see cref="PostgresServer"/>, dropped afterwards.
/// The server is required, not optional: without it these tests fail, they are never skipped.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly string adminConnectionString;
    private readonly string name = "lipservice_test_" + Guid.NewGuid().ToString("N")[..12];

    public PostgresDatabase(PostgresServer server)
    {
        adminConnectionString = server.AdminConnectionString;
        try
        {
            using var admin = new NpgsqlConnection(adminConnectionString);
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            string source = server.IsExisting ? $"from {PostgresServer.ExistingServerVariable}" : "the tests' own throwaway server";
            throw new InvalidOperationException($"PostgreSQL could not be reached with '{adminConnectionString}' ({source}).", e);
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = false }.ToString();
    }

    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(adminConnectionString);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }
}
