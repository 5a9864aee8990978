using System.Text.Json;
using System.Text.Json.Serialization;

namespace LipService.Api.Inference;

// The infer request and response as the OpenAPI document shows them. The endpoint reads and writes
// these shapes itself (InferenceRequestReader, InferenceResponseWriter) because the binary tensor
// data extension puts raw bytes after the JSON; these records give Swagger UI a schema and example.
// The protocol's names are snake_case, so each one is spelled out.

/// <summary>An Open Inference Protocol inference request.</summary>
/// <param name="Id">Echoed in the response.</param>
/// <param name="Inputs">Exactly one tensor, "input".</param>
/// <param name="Outputs">Which outputs to answer, in order; all four when absent.</param>
/// <param name="Parameters">"binary_data_output": true asks for every output in the binary section.</param>
public sealed record InferRequestDocument(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("inputs")] IReadOnlyList<InferInputDocument> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<InferRequestedOutputDocument>? Outputs,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, JsonElement>? Parameters);

/// <param name="Name">"input".</param>
/// <param name="Datatype">"FP32".</param>
/// <param name="Shape">[N, C·H·W] or [N, C, H, W] as the model's metadata gives them: [N, 784] or [N, 1, 28, 28] for MNIST.</param>
/// <param name="Data">N·C·H·W values in [0, 1], flat or nested; absent with the binary extension.</param>
/// <param name="Parameters">"binary_data_size": N·C·H·W·4 when the values follow the JSON as raw little-endian FP32.</param>
public sealed record InferInputDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("data")] IReadOnlyList<float>? Data,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, JsonElement>? Parameters);

/// <param name="Name">"scores", "label", "certified_radius" or "class_name".</param>
/// <param name="Parameters">"binary_data": true puts this output in the binary section.</param>
public sealed record InferRequestedOutputDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, JsonElement>? Parameters);

/// <summary>An Open Inference Protocol inference response (its JSON part, with the binary extension).</summary>
/// <param name="ModelName">The name the request used: an id or an alias.</param>
/// <param name="ModelVersion">The id of the model that answered.</param>
public sealed record InferResponseDocument(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("outputs")] IReadOnlyList<InferOutputDocument> Outputs);

/// <param name="Name">"scores" (FP32 [N, outputs]), "label" (INT64 [N]), "certified_radius" (FP64 [N]) or "class_name" (BYTES [N]).</param>
/// <param name="Data">The values, flat: numbers, or for class_name strings; absent when the output is in the binary section.</param>
/// <param name="Parameters">"binary_data_size": the output's byte length in the binary section.</param>
public sealed record InferOutputDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("data")] IReadOnlyList<JsonElement>? Data,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, JsonElement>? Parameters);
