using LipService.Training.Jobs;

namespace LipService.Training.Tests.Jobs;

public class RunnerIdTests
{
    [Fact]
    public void RoundTripsThroughItsStoredForm()
    {
        var runner = new RunnerId("worker-3.example", 4711, "0f1e");
        Assert.Equal("worker-3.example/4711/0f1e", runner.ToString());
        Assert.Equal(runner, RunnerId.Parse(runner.ToString()));
        Assert.Equal("worker-3.example/4711", runner.Process);
    }

    [Fact]
    public void RunsInOneProcessDifferOnlyInTheirRun()
    {
        var (a, b) = (RunnerId.NewInThisProcess(), RunnerId.NewInThisProcess());
        Assert.Equal(a.Process, b.Process);
        Assert.NotEqual(a, b);
        Assert.Equal($"{Environment.MachineName}/{Environment.ProcessId}", a.Process);
    }

    [Theory]
    [InlineData("")]
    [InlineData("runner-a")]
    [InlineData("host/pid/run")]
    [InlineData("host/12/")]
    [InlineData("/12/run")]
    public void RejectsWhatIsNotARunnerId(string value) => Assert.Throws<FormatException>(() => RunnerId.Parse(value));
}
