namespace LipService.Api.Inference;

/// <summary>GET /v2: the server's name, version and protocol extensions.</summary>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>A tensor's name, datatype and shape (−1: any size).</summary>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>GET /v2/models/{name}: the model's versions (its id), platform and tensors.</summary>
public sealed record ModelMetadataResponse(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

/// <summary>GET /v2/health/live.</summary>
public sealed record LiveResponse(bool Live);

/// <summary>GET /v2/health/ready and /v2/models/{name}/ready.</summary>
public sealed record ReadyResponse(bool Ready, string? Name = null);

/// <summary>The protocol's error body: its clients read exactly this field.</summary>
public sealed record InferenceErrorResponse(string Error);
