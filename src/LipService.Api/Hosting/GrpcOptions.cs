namespace LipService.Api.Hosting;

/// <summary>
/// The Open Inference Protocol's gRPC face (configuration section "Grpc"). gRPC needs HTTP/2, which
/// without TLS only works on a port that speaks nothing else, so it has its own port; 0 keeps it off.
/// </summary>
public sealed class GrpcOptions
{
    public const string SectionName = "Grpc";

    /// <summary>The HTTP/2 port of GRPCInferenceService; 0 (the default) serves no gRPC (Triton's own default is 8001).</summary>
    public int Port { get; set; }

    /// <summary>The address to listen on: 127.0.0.1 (this machine only), or 0.0.0.0 / :: for every interface.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Largest request message; 784 FP32 pixels are 3 KiB per image.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;
}
