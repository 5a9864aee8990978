namespace LipService.Api.Tests.Cli;

/// <summary><c>bench-step</c> of the real bench executable: a row per layer of the spec's network, on random inputs.</summary>
public sealed class StepBenchTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lipservice-bench-step-").FullName;

    [Fact]
    public async Task EveryLayerOfAnOrthogonalNetworkGetsATimedRow()
    {
        var run = await Executable.RunAssemblyAsync(
            Executable.Bench, folder, "bench-step", "--preset", "mnist10-robust", "--architecture", "ortho-conv", "--channels", "4", "--hidden", "8", "--batch-size", "8", "--repeats", "1");
        Assert.True(run.ExitCode == 0, run.Error);
        string[] rows = run.Output.Split('\n');
        // ortho-conv with one channel entry: conv 1 → 4, down-sampling to 8 channels at 14×14, dense 8, output.
        Assert.StartsWith("## Training step of `ortho-conv` (channels [4], hidden [8]), batch 8", run.Output, StringComparison.Ordinal);
        foreach (string kind in new[] { "| conv0 | OrthoConv2D | 8×1×28×28 |", "| down0 | OrthoDownsample2D | 8×4×28×28 |", "| dense0 | SpectralDense | 8×1568 |", "| output | SpectralDense | 8×8 |" })
            Assert.Contains(rows, row => row.StartsWith(kind, StringComparison.Ordinal));
        string whole = Assert.Single(rows, row => row.StartsWith("| **network forward + backward**", StringComparison.Ordinal));
        double ms = double.Parse(whole.Split('|', StringSplitOptions.TrimEntries)[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ms > 0, whole);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task AnInvalidSpecIsRefusedBeforeAnythingRuns()
    {
        var run = await Executable.RunAssemblyAsync(Executable.Bench, folder, "bench-step", "--preset", "mnist10-robust", "--channels", "3");
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("| layer |", run.Output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
