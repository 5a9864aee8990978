using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>The real MNIST data, loaded once (checksums on, no download) for a test class.</summary>
public sealed class RealMnistFixture
{
    public RealMnistFixture()
    {
        var options = new MnistOptions { Directory = WorkspaceData.MnistDirectory, Download = false, VerifyChecksums = true };
        Data = new MnistLoader(options).Load();
    }

    public MnistDataset Data { get; }
}
