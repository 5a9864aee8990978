namespace LipService.Api.Tests.Postgres;

/// <summary>
/// The server the Postgres tests create their databases on: the one LIPSERVICE_TEST_POSTGRES names, or
/// else a <see cref="ThrowawayCluster"/> of the tests' own. That one starts on first use, so a machine
/// without PostgreSQL fails exactly the tests that need it (with how to install it) and nothing else,
/// and it is removed when the collection ends.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string ExistingServerVariable = "LIPSERVICE_TEST_POSTGRES";

    private readonly string? existing = Environment.GetEnvironmentVariable(ExistingServerVariable);
    // A failed start is cached: the next test fails with the same message instead of running initdb again.
    private readonly Lazy<ThrowawayCluster> own = new(() => new ThrowawayCluster());

    /// <summary>A login that may CREATE DATABASE.</summary>
    public string AdminConnectionString => existing ?? own.Value.AdminConnectionString;

    public bool IsExisting => existing is not null;

    public void Dispose()
    {
        if (own.IsValueCreated) own.Value.Dispose();
    }
}

/// <summary>Every test class that uses <see cref="PostgresDatabase"/> joins this collection, so one server serves the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
