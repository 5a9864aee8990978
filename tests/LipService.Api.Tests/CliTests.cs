using LipService.Api.Cli;

namespace LipService.Api.Tests;

public class CliTests
{
    [Fact]
    public void TrainPrintsNotebookStyleEpochsAndACertificateTable()
    {
        var output = new StringWriter();
        int code = TrainCommand.Run(CliOptions.Parse(["--epochs", "1", "--mnist", WorkspaceData.MnistDirectory, "--download", "false", "--device", "cpu"]), output);

        string text = output.ToString();
        Assert.Equal(0, code);
        Assert.Contains("train set size: 11774 samples, classes proportions: 50.306 percent", text);
        Assert.Contains("test set size: 1954 samples, classes proportions: 50.154 percent", text);
        Assert.Matches(@"Epoch 1/1\n92/92 - [0-9.]+s - loss: -?[0-9.]+ - KR: [0-9.]+ - HingeMargin: [0-9.]+ - HKR_binary_accuracy: 0\.9[0-9]+", text.Replace("\r", ""));
        Assert.Contains("Trainable params: 25,664 - Non-trainable params: 25,666", text);
        Assert.Matches(@"\n\s+1\.58\s+0\.[0-9]{4}", text.Replace("\r", ""));
    }

    [Fact]
    public void InvalidOptionsAreReportedByName()
    {
        var output = new StringWriter();
        int code = TrainCommand.Run(CliOptions.Parse(["--epochs", "0", "--hidden", "33"]), output);
        Assert.Equal(2, code);
        Assert.Contains("--epochs", output.ToString());
        Assert.Contains("--hidden", output.ToString());
    }

    [Fact]
    public void MissingMnistGivesAClearMessageAndNoStackTrace()
    {
        string empty = Directory.CreateTempSubdirectory("lipservice-nomnist-").FullName;
        try
        {
            var output = new StringWriter();
            int code = TrainCommand.Run(CliOptions.Parse(["--mnist", empty, "--download", "false"]), output);
            Assert.Equal(1, code);
            Assert.Contains(empty, output.ToString());
            Assert.Contains("train-images-idx3-ubyte.gz", output.ToString());
            Assert.DoesNotContain("   at ", output.ToString());
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
