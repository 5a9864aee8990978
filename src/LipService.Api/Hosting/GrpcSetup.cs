using System.Net;

namespace LipService.Api.Hosting;

/// <summary>Registers the Open Inference Protocol's gRPC server (off unless Grpc:Port is set).</summary>
public static class GrpcSetup
{
    public static void AddGrpcInference(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GrpcOptions>().BindConfiguration(GrpcOptions.SectionName)
            .Validate(o => o.Port is >= 0 and <= 65535, "Grpc:Port must be 0 (off) or a TCP port.")
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Grpc:Address must be an IP address such as 127.0.0.1 or 0.0.0.0.")
            .Validate(o => o.MaxReceiveMessageBytes >= 4096, "Grpc:MaxReceiveMessageBytes must be at least 4096.")
            .ValidateOnStart();
        builder.Services.AddHostedService<GrpcInferenceHost>();
    }
}
