using System.Diagnostics;

namespace LipService.Api.Tests.Weights;

/// <summary>
/// Debian's own interpreter with python3-torch and python3-numpy: the PyTorch a user installs with
/// apt, not whatever a pyenv shim puts first on PATH. Tests that need it fail, naming the
/// packages, when they are missing (.ci/run installs them).
/// </summary>
internal static class DebianPython
{
    public const string Interpreter = "/usr/bin/python3";

    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var check = await RunProcessAsync("-c", "import torch, numpy");
        Assert.True(
            check.ExitCode == 0,
            $"{Interpreter} cannot import torch and numpy: install Debian's packages with " +
            $"`apt-get install python3-torch python3-numpy`.\n{check.Error}");
        var result = await RunProcessAsync([script, .. args]);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(script)} failed ({result.ExitCode}):\n{result.Error}");
        return result.Output;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(params string[] args)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: install Debian's packages with `apt-get install python3-torch python3-numpy`.");
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Interpreter} {string.Join(' ', args)} did not exit:\n{await output}\n{await error}");
        }
        return (process.ExitCode, await output, await error);
    }
}
