using System.CommandLine;
using System.CommandLine.Help;

namespace LipService.Api.Cli;

/// <summary>
/// The executable's command line: <c>serve</c> (also what runs when no command is given),
/// <c>train</c>, <c>bench</c>, <c>bench-cache</c> and <c>health</c>, each with <c>--help</c>. Shell commands run here;
/// for <c>serve</c> the caller gets the configuration arguments for the web host.
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
        Command bench = new("bench", "Train and measure prediction speed, printing the Markdown of docs/benchmarks.md.");
        foreach (var option in training.All)
        {
            train.Options.Add(option);
            bench.Options.Add(option);
        }
        bench.Options.Add(BenchCommand.Runs);
        train.SetAction(parsed => TrainCommand.Run(parsed, training, output, error));
        bench.SetAction(parsed => BenchCommand.Run(parsed, training, output, error));

        Command benchCache = new("bench-cache", "Load and evict models through the serving cache (no MNIST needed), printing memory over the run as Markdown for docs/benchmarks.md.");
        foreach (var option in CacheBenchCommand.All) benchCache.Options.Add(option);
        benchCache.SetAction(parsed => CacheBenchCommand.Run(parsed, output, error));

        Command health = new("health", "Exit 0 when the service at --url answers healthy (container health checks).") { HealthCommand.Url };
        health.SetAction(parsed => HealthCommand.Run(parsed, output));

        root.Subcommands.Add(serveCommand);
        root.Subcommands.Add(train);
        root.Subcommands.Add(bench);
        root.Subcommands.Add(benchCache);
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
