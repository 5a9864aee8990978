using LipService.Api.Tests.EndToEnd;

namespace LipService.Api.Tests.Cli;

/// <summary>Folders on the command line mean what they mean in the shell: relative to where the service was started.</summary>
public sealed class PathResolutionTests : IDisposable
{
    private readonly TempFolder folder = new("lipservice-paths-");

    private string startFolder => folder.Path;

    [Fact]
    public async Task RelativeDataFolderResolvesAgainstTheStartFolderAndIsLogged()
    {
        // ServiceProcess starts the executable in startFolder; later arguments override its absolute ones.
        using var service = await ServiceProcess.StartAsync(startFolder, "--Data:Directory", "relative-data");

        string expected = Path.Combine(startFolder, "relative-data");
        Assert.True(File.Exists(Path.Combine(expected, "lipservice.db")), service.Log);
        Assert.Contains($"data folder {expected}", service.Log);
        Assert.Contains($"SQLite file {Path.Combine(expected, "lipservice.db")}", service.Log);
        Assert.Contains($"MNIST: {WorkspaceData.MnistDirectory}, all four files present", service.Log);
    }

    public void Dispose() => folder.Dispose();
}
