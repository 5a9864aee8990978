using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Dapper;
using LipService.Api.Storage;
using LipService.Api.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LipService.Api.Tests.Cli;

/// <summary>Settings the service cannot start with: one line on stderr naming what to fix, exit 1, no stack trace.</summary>
public sealed class StartupErrorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lipservice-start-").FullName;

    [Fact]
    public async Task BusyPortNamesTheAddress()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var run = await Serve("--urls", $"http://127.0.0.1:{port}", "--Data:Directory", Path.Combine(folder, "data"));

        AssertOneLineError(run, $"127.0.0.1:{port}", "address already in use");
    }

    [Fact]
    public async Task DataFolderThatCannotBeCreatedIsNamed()
    {
        // Tests run as root, whom permissions do not stop; a folder below a regular file cannot exist for anyone.
        string file = Path.Combine(folder, "file.txt");
        await File.WriteAllTextAsync(file, "not a folder");
        string data = Path.Combine(file, "sub");

        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", data);

        AssertOneLineError(run, "Data:Directory", data);
    }

    [Fact]
    public async Task UnreachablePostgresIsNamedWithoutThePassword()
    {
        int closed = Executable.FreePort();
        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Storage:Provider", "postgres",
            "--ConnectionStrings:Postgres", $"Host=127.0.0.1;Port={closed};Database=lipservice;Username=lipservice;Password=s3cret-pw;Timeout=5");

        AssertOneLineError(run, "ConnectionStrings:Postgres", $"127.0.0.1:{closed}");
        Assert.DoesNotContain("s3cret-pw", run.Output + run.Error);
    }

    [Fact]
    public async Task MalformedPostgresConnectionStringIsNamed()
    {
        var run = await Serve("--Storage:Provider", "postgres", "--ConnectionStrings:Postgres", "Host=127.0.0.1;;==");
        AssertOneLineError(run, "ConnectionStrings:Postgres", "not a valid connection string");
    }

    [Fact]
    public async Task SplitRoleRefusesTheEmbeddedStore()
    {
        var run = await Serve("--Role", "api", "--Data:Directory", Path.Combine(folder, "data"));
        AssertOneLineError(run, "Role api", "Storage:Provider=postgres");
    }

    [Fact]
    public async Task InvalidOptionValueIsNamedAtStart()
    {
        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", Path.Combine(folder, "data"), "--Worker:ConcurrentTrainings", "0");
        AssertOneLineError(run, "Worker:ConcurrentTrainings", "≥ 1");
    }

    [Fact]
    public async Task ADefaultAliasNoAliasCanHaveIsNamedAtStart()
    {
        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", Path.Combine(folder, "data"), "--Serving:DefaultAlias", "Default");
        AssertOneLineError(run, "Serving:DefaultAlias", "lowercase");
    }

    [Fact]
    public async Task UnconvertibleOptionValueIsNamedAtStart()
    {
        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", Path.Combine(folder, "data"), "--Serving:MaxDigits", "many");
        AssertOneLineError(run, "Serving:MaxDigits", "'many'");
    }

    [Fact]
    public async Task DatabaseFromANewerBuildIsRefusedAndLeftAsItWas()
    {
        string data = Path.Combine(folder, "data");
        var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { Directory = data }));
        await connections.EnsureSchemaAsync(CancellationToken.None);
        await using (var c = await connections.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("UPDATE schema_version SET version = 42");
        SqliteConnection.ClearAllPools();

        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", data);

        AssertOneLineError(run, connections.Location, "schema version 42", "newer LipService");
        await using var check = await connections.OpenAsync(CancellationToken.None);
        Assert.Equal(42, await check.ExecuteScalarAsync<long>("SELECT version FROM schema_version"));
    }

    [Fact]
    public async Task GarbageDatabaseFileIsNamed()
    {
        string data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        string database = Path.Combine(data, "lipservice.db");
        await File.WriteAllBytesAsync(database, RandomNumberGenerator.GetBytes(16 * 1024));

        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", data);

        AssertOneLineError(run, database, "not a LipService database or is damaged", "backup");
    }

    [Fact]
    public async Task TruncatedDatabaseFileIsNamed()
    {
        string data = Path.Combine(folder, "data");
        var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { Directory = data }));
        await connections.EnsureSchemaAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        byte[] whole = await File.ReadAllBytesAsync(connections.Location);
        await File.WriteAllBytesAsync(connections.Location, whole[..(whole.Length / 3)]);

        var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", data);

        AssertOneLineError(run, connections.Location, "damaged");
    }

    [Fact]
    public async Task ReadOnlyDataFolderIsNamed()
    {
        // Root writes through permissions; a read-only mount stops root too.
        string data = Path.Combine(folder, "readonly");
        Directory.CreateDirectory(data);
        Mounts.Tmpfs(data, "ro,size=1m");
        try
        {
            var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", data);
            AssertOneLineError(run, "Data:Directory", data, "Read-only file system");
        }
        finally
        {
            Mounts.Unmount(data);
        }
    }

    [Fact]
    public async Task ReadOnlyDatabaseFileIsNamed()
    {
        // The folder can be written (the start-up check passes), the database file cannot: SQLite opens it
        // read-only without complaint, and only the first write fails.
        string data = Path.Combine(folder, "data");
        var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { Directory = data }));
        await connections.EnsureSchemaAsync(CancellationToken.None);
        await using (var c = await connections.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteConnection.ClearAllPools();
        Mounts.ReadOnlyBind(connections.Location);
        try
        {
            var run = await Serve("--urls", $"http://127.0.0.1:{Executable.FreePort()}", "--Data:Directory", data);
            AssertOneLineError(run, connections.Location, "readonly database", "writable");
        }
        finally
        {
            Mounts.Unmount(connections.Location);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    // No MNIST download: a service that starts far enough would otherwise reach for the internet's mirrors.
    private Task<Executable.Result> Serve(params string[] args) => Executable.RunAsync(folder, ["--Mnist:Download", "false", .. args]);

    private static void AssertOneLineError(Executable.Result run, params string[] expected)
    {
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}\n{run.Output}\n{run.Error}");
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        foreach (string part in expected) Assert.Contains(part, line);
        Assert.DoesNotContain("   at ", run.Output + run.Error);
    }
}
