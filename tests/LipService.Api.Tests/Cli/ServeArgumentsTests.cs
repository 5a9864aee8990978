using LipService.Api.Cli;

namespace LipService.Api.Tests.Cli;

/// <summary>What <c>serve</c> hands to the web host's configuration.</summary>
public class ServeArgumentsTests
{
    [Fact]
    public void ServeHandsConfigurationKeysToTheHost()
    {
        var (code, hostArgs) = LipServiceCommandLine.Run(
            ["--Mnist:Download", "true", "--urls", "http://127.0.0.1:1", "--Training:WatchInterval", "00:00:01", "--environment=Development", "--Mnist:Download", "false"],
            TextWriter.Null, TextWriter.Null);
        Assert.Null(code);
        // Declared keys are passed as --Key=value, the last of several winning as in the configuration; the others as given.
        Assert.Equal(["--urls=http://127.0.0.1:1", "--Mnist:Download=False", "--Training:WatchInterval", "00:00:01", "--environment=Development"], hostArgs);
    }

    [Fact]
    public void ServeCommandTakesTheSameKeysAsTheDefault()
    {
        var (code, hostArgs) = LipServiceCommandLine.Run(["serve", "--Role", "API", "--Worker:Queues:0", "gpu"], TextWriter.Null, TextWriter.Null);
        Assert.Null(code);
        Assert.Equal(["--Role=Api", "--Worker:Queues:0", "gpu"], hostArgs);
    }

    [Fact]
    public void AKeyWithoutAValueIsRefused()
    {
        var error = new StringWriter();
        var (code, _) = LipServiceCommandLine.Run(["--urls", "http://127.0.0.1:1", "--Serving:MaxDigits"], TextWriter.Null, error);
        Assert.Equal(2, code);
        Assert.Contains("'--Serving:MaxDigits'", error.ToString());
    }
}
