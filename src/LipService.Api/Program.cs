using LipService.Api.Cli;
using LipService.Api.Hosting;

// `train` and `bench` run from the shell and exit; anything else starts the web host.
if (CliCommands.TryRun(args, out int exitCode)) return exitCode;

// appsettings.json is read from beside the executable, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLipService();
var app = builder.Build();
app.MapLipService();
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
