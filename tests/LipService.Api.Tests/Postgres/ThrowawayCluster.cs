using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace LipService.Api.Tests.Postgres;

/// <summary>
/// A private PostgreSQL cluster for one test run, in a temp folder that it deletes again: on Dispose, on
/// process exit, and through a watchdog when the test host is killed before either can run.
/// It listens only on a unix socket inside that folder: no TCP port to collide with the machine's own
/// server or another engineer's run, and no trust-auth listener that other local users could reach.
/// </summary>
internal sealed class ThrowawayCluster : IDisposable
{
    // PostgreSQL refuses to run as root, so root runs it as the account Debian's package creates.
    private const string ServiceUser = "postgres";
    // Only names the socket file (.s.PGSQL.5432); the folder is ours alone, so the number cannot be taken.
    private const int Port = 5432;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string bin;
    private readonly bool asServiceUser = Environment.UserName == "root";
    private readonly string folder;
    private int disposed;

    public ThrowawayCluster()
    {
        bin = PostgresBinaries.Find();
        folder = Run("mktemp", "-d", "-p", Path.GetTempPath().TrimEnd('/'), "lipservice-pg-XXXXXX").Trim();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            StartWatchdog();
            Run(Path.Combine(bin, "initdb"), "-D", DataDirectory, "--auth=trust", $"--username={ServiceUser}",
                "--encoding=UTF8", "--locale=C", "--no-sync");
            // Durability is worthless for a cluster deleted at the end of the run, and fsyncs are slow on shared CI disks.
            File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), $"""

                listen_addresses = ''
                unix_socket_directories = '{folder}'
                port = {Port}
                fsync = off
                synchronous_commit = off
                full_page_writes = off

                """);
            Run(Path.Combine(bin, "pg_ctl"), "start", "-D", DataDirectory, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60");
        }
        catch
        {
            Dispose();
            throw;
        }
        AdminConnectionString = new NpgsqlConnectionStringBuilder { Host = folder, Port = Port, Username = ServiceUser, Database = "postgres" }.ToString();
    }

    /// <summary>A superuser login over the socket; works for child processes of the tests too.</summary>
    public string AdminConnectionString { get; }

    private string DataDirectory => Path.Combine(folder, "data");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                Run(Path.Combine(bin, "pg_ctl"), "stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            Dispose();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The process is ending; the watchdog still removes what is left.
        }
    }

    /// <summary>
    /// SIGKILL (a blame-hang timeout, an OOM kill) skips Dispose and ProcessExit and would leave the server
    /// running; this detached shell outlives the test host and stops the server and deletes the folder once
    /// the host's pid is gone. After a normal Dispose it finds nothing left to do.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            ( while kill -0 "$0" 2>/dev/null; do sleep 1; done
              pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null &&
                while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
              rm -rf "$1" ) </dev/null >/dev/null 2>&1 &
            """;
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (string arg in new[] { "-c", script, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), folder })
            start.ArgumentList.Add(arg);
        using var shell = Process.Start(start)!;
        shell.WaitForExit();
    }

    private string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(asServiceUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The service user may not be allowed into the test's working directory.
            WorkingDirectory = "/",
        };
        if (asServiceUser)
            foreach (string arg in new[] { "-u", ServiceUser, "--", program }) start.ArgumentList.Add(arg);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        string command = string.Join(' ', start.ArgumentList.Prepend(start.FileName));

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout) || !Task.WaitAll([stdout, stderr], CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {CommandTimeout}.");
        }
        if (process.ExitCode != 0)
        {
            string why = asServiceUser ? $" (run as the '{ServiceUser}' user, which Debian's postgresql package creates, because PostgreSQL refuses to run as root)" : "";
            throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}{why}:\n{stdout.Result}{stderr.Result}{ServerLog()}");
        }
        return stdout.Result;
    }

    private string ServerLog()
    {
        string log = folder is null ? "" : Path.Combine(folder, "server.log");
        return File.Exists(log) ? "\nserver.log:\n" + File.ReadAllText(log) : "";
    }
}
