using System.Diagnostics;

namespace LipService.Api.Tests.Monitoring;

/// <summary>Prometheus's own linter, <c>promtool check metrics</c>, from Debian's <c>prometheus</c> package.</summary>
internal static class Promtool
{
    /// <summary>Runs the check on <paramref name="exposition"/>; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        string? promtool = Find();
        // Missing fails rather than skips: a skipped lint would let the exposition drift from the naming rules unnoticed.
        Assert.True(promtool is not null,
            "promtool is not on PATH: install Debian's `prometheus` package (apt-get install prometheus), or take /usr/bin/promtool out of it as .ci/run does (apt-get download prometheus; dpkg-deb -x).");
        var start = new ProcessStartInfo(promtool!)
        {
            ArgumentList = { "check", "metrics" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output) + (await errors));
    }

    private static string? Find()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.Append("/usr/bin").Select(f => Path.Combine(f, "promtool")).FirstOrDefault(File.Exists);
    }
}
