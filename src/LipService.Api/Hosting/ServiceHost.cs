using LipService.Api.Cli;
using LipService.Training.Engine;

namespace LipService.Api.Hosting;

/// <summary>The web host of <c>serve</c>: a failure to start is one line on stderr and exit code 1.</summary>
public static class ServiceHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Before the host's threads allocate: glibc's arena limit binds only while few arenas exist.
        NativeHeap.Configure();
        try
        {
            // appsettings.json is read from beside the executable, wherever it is started from.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.AddLipService();
            var app = builder.Build();
            app.MapLipService();
            await app.RunAsync();
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is not HostAbortedException)
        {
            // HostAbortedException is how design-time tools (dotnet ef, build-time OpenAPI) stop the entry
            // point once the host is built; it must pass. (WebApplicationFactory lets RunAsync run.)
            await Console.Error.WriteLineAsync($"error: {StartupFailure.Describe(e)}");
            return ExitCodes.Failure;
        }
    }
}
