using System.Diagnostics;

namespace LipService.Api.Tests.Deployment;

/// <summary>
/// No Docker engine runs on our machines, so the images are not built here; the compose file is
/// validated with Debian's docker-compose (installed by .ci/run) and the Dockerfiles are checked
/// for what the deployment relies on.
/// </summary>
public class ComposeFileTests
{
    private static readonly string Root = FindRepositoryRoot();

    [Fact]
    public void ComposeFileIsValidAndDeclaresTheScaleOutServices()
    {
        var (code, output) = Compose("config");
        Assert.True(code == 0, output);
        foreach (string expected in new[] { "postgres:", "api:", "worker-gpu:", "driver: nvidia", "condition: service_healthy", "Storage__Provider: postgres", "Role: worker", "pgdata:" })
            Assert.Contains(expected, output);
    }

    [Fact]
    public void TheCpuWorkerIsBehindAProfile()
    {
        var (code, output) = Compose("--profile cpu config");
        Assert.True(code == 0, output);
        string cpuWorker = output[output.IndexOf("  worker-cpu:", StringComparison.Ordinal)..];
        Assert.Matches(@"^  worker-cpu:(\n    .*)*\n    profiles:\n    - cpu", cpuWorker.Replace("\r", ""));
        Assert.Contains("Worker__Queues__0: training", cpuWorker);
    }

    [Theory]
    [InlineData("docker/Dockerfile", "-p:TorchBackend=cpu")]
    [InlineData("docker/Dockerfile.gpu", "-p:TorchBackend=cuda")]
    public void ImagesAreMultiStageNonRootAndHealthChecked(string file, string backend)
    {
        string text = File.ReadAllText(Path.Combine(Root, file));
        Assert.Contains(" AS build", text);
        Assert.Contains(backend, text);
        Assert.Contains("\nUSER app", text);
        Assert.Contains("HEALTHCHECK", text);
        Assert.Contains("\"health\"", text);
    }

    private static (int Code, string Output) Compose(string arguments)
    {
        var start = new ProcessStartInfo("docker-compose", $"-f docker-compose.yml {arguments}")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Fail, never skip: a missing tool must not turn into a silently smaller test run.
            throw new InvalidOperationException(
                "docker-compose was not found on PATH; this test needs Debian's docker-compose package: "
                + "apt-get install docker-compose (bash .ci/run installs it).", e);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LipService.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("LipService.sln not found above the test binaries.");
    }
}
