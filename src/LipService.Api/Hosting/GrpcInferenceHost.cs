using System.Net;
using LipService.Api.Inference;
using LipService.Api.Serving;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LipService.Api.Hosting;

/// <summary>
/// Runs GRPCInferenceService on its own HTTP/2 port beside the main HTTP server, sharing its model
/// cache, health checks, per-client digit budget and metrics. A second small server rather than a
/// second endpoint of the main one: an endpoint set in code would make Kestrel drop the addresses
/// given with --urls.
/// </summary>
public sealed partial class GrpcInferenceHost(IServiceProvider services, IOptions<GrpcOptions> options, ILogger<GrpcInferenceHost> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Port == 0) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(o.Address), o.Port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = o.MaxReceiveMessageBytes);
        builder.Services.AddSingleton(services.GetRequiredService<ImageScoring>());
        builder.Services.AddSingleton(services.GetRequiredService<HealthCheckService>());
        server = builder.Build();
        server.MapGrpcService<GrpcInferenceService>();
        await server.StartAsync(cancellationToken);
        LogListening(logger, o.Address, o.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null) await server.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open Inference Protocol gRPC on {Address}:{Port} (HTTP/2)")]
    private static partial void LogListening(ILogger logger, string address, int port);
}
