using LipService.Api.Cli;

// `train` and `bench` run from the shell and exit; anything else starts the web host.
if (CliCommands.TryRun(args, out int exitCode)) return exitCode;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
