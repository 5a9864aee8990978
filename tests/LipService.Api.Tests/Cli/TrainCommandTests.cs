using LipService.Api.Cli;

namespace LipService.Api.Tests.Cli;

/// <summary>The <c>train</c> command in-process (the command-line errors of the real executable are in <see cref="CommandLineTests"/>).</summary>
public class TrainCommandTests
{
    [Fact]
    public void TrainPrintsNotebookStyleEpochsAndACertificateTable()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (code, _) = LipServiceCommandLine.Run(["train", "--epochs", "1", "--mnist", WorkspaceData.MnistDirectory, "--download", "false", "--device", "cpu"], output, error);

        string text = output.ToString();
        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        Assert.Contains("train set size: 11774 samples, classes proportions: 50.306 percent", text);
        Assert.Contains("test set size: 1954 samples, classes proportions: 50.154 percent", text);
        Assert.Matches(@"Epoch 1/1\n92/92 - [0-9.]+s - loss: -?[0-9.]+ - KR: [0-9.]+ - HingeMargin: [0-9.]+ - HKR_binary_accuracy: 0\.9[0-9]+", text.Replace("\r", ""));
        Assert.Contains("Trainable params: 25,664 - Non-trainable params: 25,666", text);
        Assert.Matches(@"\n\s+1\.58\s+0\.[0-9]{4}", text.Replace("\r", ""));
    }

    [Fact]
    public void InvalidSpecValuesAreReportedByOptionName()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (code, _) = LipServiceCommandLine.Run(["train", "--epochs", "0", "--hidden", "33", "--batch-size", "0"], output, error);
        Assert.Equal(2, code);
        Assert.Contains("--epochs:", error.ToString());
        Assert.Contains("--hidden:", error.ToString());
        Assert.Contains("--batch-size:", error.ToString());
    }

    [Fact]
    public void MissingMnistGivesAClearMessageAndNoStackTrace()
    {
        string empty = Directory.CreateTempSubdirectory("lipservice-nomnist-").FullName;
        try
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            var (code, _) = LipServiceCommandLine.Run(["train", "--mnist", empty, "--download", "false"], output, error);
            Assert.Equal(1, code);
            Assert.Contains(empty, error.ToString());
            Assert.Contains("train-images-idx3-ubyte.gz", error.ToString());
            Assert.DoesNotContain("   at ", error.ToString());
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
