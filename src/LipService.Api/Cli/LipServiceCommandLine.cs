using System.CommandLine;
using System.CommandLine.Help;

namespace LipService.Api.Cli;

/// <summary>
/// The executable's command line: <c>serve</c> (also what runs when no command is given),
/// <c>train</c> and <c>health</c>, each with <c>--help</c>. Shell commands run here; for <c>serve</c>
/// the caller gets the configuration arguments for the web host. The benchmark harnesses are a
/// separate executable (bench/LipService.Bench), so they do not ship in the service.
/// </summary>
public static class LipServiceCommandLine
{
    /// <summary>Runs the command line. ExitCode is null when the web host should start with HostArgs.</summary>
    public static (int? ExitCode, string[] HostArgs) Run(string[] args, TextWriter output, TextWriter error)
    {
        string[]? hostArgs = null;
        var serve = new ServeOptions();
        var training = new TrainingOptions();

        Command serveCommand = new("serve", "Start the web service (the default command). " + ServeOptions.PassthroughHelp) { TreatUnmatchedTokensAsErrors = false };
        RootCommand root = new("LipService: trains 1-Lipschitz networks and serves predictions with a certified robustness radius. Without a command it serves. " + ServeOptions.PassthroughHelp)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var option in serve.All)
        {
            root.Options.Add(option);
            serveCommand.Options.Add(option);
        }
        Func<ParseResult, int> startHost = parsed =>
        {
            if (ServeOptions.FirstStrayToken(parsed.UnmatchedTokens) is { } stray)
            {
                error.WriteLine($"error: unrecognized command or argument '{stray}'; configuration keys are given as --Key value (see --help).");
                return ExitCodes.BadCommandLine;
            }
            hostArgs = [.. serve.GivenAsConfiguration(parsed), .. parsed.UnmatchedTokens];
            return ExitCodes.Success;
        };
        root.SetAction(startHost);
        serveCommand.SetAction(startHost);

        Command train = new("train", "Train the notebook's model in the terminal, then print its exact Lipschitz bound and certified accuracy.");
        foreach (var option in training.All) train.Options.Add(option);
        train.SetAction(parsed => TrainCommand.Run(parsed, training, output, error));

        Command health = new("health", "Exit 0 when the service at --url answers healthy (container health checks).") { HealthCommand.Url };
        health.SetAction(parsed => HealthCommand.Run(parsed, output));

        root.Subcommands.Add(serveCommand);
        root.Subcommands.Add(train);
        root.Subcommands.Add(health);

        // No @response files: '@' may begin a configuration value.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var command = parsed.CommandResult.Command;
        // The parser applies the root's TreatUnmatchedTokensAsErrors to every command; only serve takes extra keys.
        string[] errors = [.. parsed.Errors.Select(e => e.Message),
            .. command == root || command == serveCommand ? [] : parsed.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'.")];
        if (errors.Length > 0 && parsed.Action is not HelpAction)
        {
            foreach (string message in errors) error.WriteLine($"error: {message}");
            error.WriteLine($"See '{(command == root ? "" : command.Name + " ")}--help'.");
            return (ExitCodes.BadCommandLine, []);
        }
        int exitCode = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return hostArgs is not null ? (null, hostArgs) : (exitCode, []);
    }
}
