namespace LipService.Api.Cli;

/// <summary>Shell commands of the executable: <c>train</c>, <c>bench</c> and <c>health</c>.</summary>
public static class CliCommands
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0) return false;
        var rest = args[1..];
        switch (args[0])
        {
            case "train":
                exitCode = TrainCommand.Run(CliOptions.Parse(rest), Console.Out);
                return true;
            case "bench":
                exitCode = BenchCommand.Run(CliOptions.Parse(rest), Console.Out);
                return true;
            case "health":
                exitCode = HealthCommand.Run(CliOptions.Parse(rest), Console.Out);
                return true;
            default:
                return false;
        }
    }
}
