using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LipService.Api.Tests.EndToEnd;

/// <summary>The real executable (LipService.Api.dll beside the tests) listening on 127.0.0.1, on a data folder that outlives restarts.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder log = new();

    private ServiceProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public int ProcessId => process.Id;

    public string Log { get { lock (log) return log.ToString(); } }

    public static async Task<ServiceProcess> StartAsync(string dataDirectory, params string[] extraArgs)
    {
        int port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (string arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "LipService.Api.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            "--Data:Directory", dataDirectory,
            "--Mnist:Directory", WorkspaceData.MnistDirectory,
            "--Mnist:Download", "false",
            "--Training:WatchInterval", "00:00:00.200",
        }.Concat(extraArgs)) start.ArgumentList.Add(arg);

        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, port);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — as a crash or an OOM kill.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself (e.g. killed by a fault-injection setting); false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Resident set size of the server process, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("No VmRSS line.");
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!process.HasExited) Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The service exited with {process.ExitCode}:\n{Log}");
            try
            {
                if ((await Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The service was not ready within {timeout}:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
