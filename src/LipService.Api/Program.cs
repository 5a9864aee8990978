using LipService.Api.Cli;
using LipService.Api.Hosting;

// Shell commands, --help and wrong command lines end here; otherwise the web host starts.
var (exitCode, hostArgs) = LipServiceCommandLine.Run(args, Console.Out, Console.Error);
return exitCode ?? await ServiceHost.RunAsync(hostArgs);

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
