namespace LipService.Api.Tests.Cli;

/// <summary>Help and wrong command lines of the real executable: nothing starts, usage errors exit 2.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lipservice-cli-").FullName;

    [Fact]
    public async Task HelpListsTheCommandsAndStartsNothing()
    {
        var run = await Executable.RunAsync(folder, "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string command in new[] { "serve", "train", "health", "--Mnist:Directory", "--urls" }) Assert.Contains(command, run.Output);
        Assert.DoesNotContain("Now listening", run.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task BenchHelpListsItsCommandsAndTheServiceHasNone()
    {
        var run = await Executable.RunAssemblyAsync(Executable.Bench, folder, "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string command in new[] { "bench", "bench-cache", "bench-step" }) Assert.Contains(command, run.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));

        // The harnesses are not part of the service binary: there, bench is an unknown command.
        var service = await Executable.RunAsync(folder, "bench", "--runs", "1");
        Assert.Equal(2, service.ExitCode);
        Assert.Contains("'bench'", service.Error);
    }

    [Fact]
    public async Task TrainHelpListsTheOptionsAndTrainsNothing()
    {
        var run = await Executable.RunAsync(folder, "train", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--epochs", "--batch-size", "--hidden", "--learning-rate", "--mnist", "--download", "--threads" }) Assert.Contains(option, run.Output);
        Assert.DoesNotContain("Epoch 1/", run.Output);
    }

    [Fact]
    public async Task UnknownOptionIsRefusedByName()
    {
        var run = await Executable.RunAsync(folder, "train", "--epoch", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'--epoch'", run.Error);
        Assert.DoesNotContain("Epoch 1/", run.Output);
    }

    [Fact]
    public async Task BadValueIsRefusedNamingTheOption()
    {
        var run = await Executable.RunAsync(folder, "train", "--epochs", "abc");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'abc'", run.Error);
        Assert.Contains("'--epochs'", run.Error);
    }

    [Fact]
    public async Task OutOfRangeValueIsRefusedNamingTheOption()
    {
        var run = await Executable.RunAssemblyAsync(Executable.Bench, folder, "bench", "--learning-rate", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--learning-rate:", run.Error);
    }

    [Fact]
    public async Task MistypedCommandDoesNotStartTheService()
    {
        var run = await Executable.RunAsync(folder, "trian", "--epochs", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'trian'", run.Error);
        Assert.DoesNotContain("Now listening", run.Output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
