using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using LipService.Api.Inference.Grpc;
using LipService.Api.Monitoring;
using Wire = LipService.Api.Inference.Grpc;
using LipService.Api.Serving;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LipService.Api.Inference;

/// <summary>
/// The Open Inference Protocol's <c>inference.GRPCInferenceService</c>: the same models, tensors and
/// checks as the REST face (<see cref="InferenceModels"/>). Inputs come as <c>raw_input_contents</c>
/// (what Triton's clients send) or typed <c>fp32_contents</c>; outputs always go back as
/// <c>raw_output_contents</c>, the field Triton's clients read (class_name as the protocol's raw BYTES:
/// each name a 4-byte little-endian length, then its UTF-8 bytes).
/// </summary>
public sealed class GrpcInferenceService(ImageScoring scoring, HealthCheckService health) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override async Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), context.CancellationToken);
        return new ServerReadyResponse { Ready = report.Status == HealthStatus.Healthy };
    }

    public override Task<Wire.ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new Wire.ServerMetadataResponse { Name = InferenceModels.ServerName, Version = InferenceModels.ServerVersion, Extensions = { InferenceModels.Extensions } });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) => Guarded(async () =>
    {
        using var lease = await InferenceModels.AcquireAsync(scoring, request.Name, request.Version, context.CancellationToken);
        return new ModelReadyResponse { Ready = true };
    });

    public override Task<Wire.ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) => Guarded(async () =>
    {
        using var lease = await InferenceModels.AcquireAsync(scoring, request.Name, request.Version, context.CancellationToken);
        var metadata = InferenceModels.Metadata(request.Name, lease.Model);
        var response = new Wire.ModelMetadataResponse { Name = metadata.Name, Platform = metadata.Platform, Versions = { metadata.Versions } };
        response.Inputs.AddRange(metadata.Inputs.Select(Describe));
        response.Outputs.AddRange(metadata.Outputs.Select(Describe));
        return response;
    });

    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) => Guarded(async () =>
    {
        if (request.Inputs.Count != 1) throw InferenceError.BadRequest($"Send exactly one input, \"{InferenceTensors.Input}\".");
        var input = request.Inputs[0];
        int count = InferenceModels.ImageCount(input.Name, input.Datatype, input.Shape, scoring.MaxImages);
        bool raw = IsRaw(request, input);
        var outputs = RequestedOutputs(request);
        InferenceModels.ChargeImages(context.GetHttpContext(), scoring, count);
        using var lease = await InferenceModels.AcquireAsync(scoring, request.ModelName, request.ModelVersion, context.CancellationToken);
        // The values an image has are the model's, so the pixels are sized and checked only now.
        using var pixels = Pixels(request, input, raw, count, InferenceModels.PixelsPerImage(input.Shape, lease.Model));
        InferenceModels.CheckPixels(pixels.Span);
        var scores = ImageScoring.Certify(lease.Model, pixels.Array, count);
        var response = Response(InferenceModels.Answer(scores, request.ModelName, request.Id, outputs));
        scoring.Served(PredictInput.Grpc, scores);
        return response;
    });

    /// <summary>Whether the input comes as raw_input_contents rather than as typed contents.</summary>
    private static bool IsRaw(ModelInferRequest request, ModelInferRequest.Types.InferInputTensor input)
    {
        if (request.RawInputContents.Count == 0) return false;
        if (request.RawInputContents.Count != 1 || input.Contents is not null)
            throw InferenceError.BadRequest("Give the input either as raw_input_contents (one entry per input) or as contents, not both.");
        return true;
    }

    private static PooledPixels Pixels(ModelInferRequest request, ModelInferRequest.Types.InferInputTensor input, bool raw, int count, int pixelsPerImage)
    {
        long length = (long)count * pixelsPerImage;
        if (raw)
        {
            var bytes = request.RawInputContents[0].Span;
            if (bytes.Length != length * sizeof(float))
                throw InferenceError.BadRequest($"raw_input_contents[0] has {bytes.Length} bytes; the shape needs {length * sizeof(float)} (FP32, little-endian).");
            var pixels = new PooledPixels(count, pixelsPerImage);
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(pixels.Span);
            return pixels;
        }
        var values = input.Contents?.Fp32Contents;
        if (values is null || values.Count != length)
            throw InferenceError.BadRequest($"contents.fp32_contents has {values?.Count ?? 0} values; the shape needs {length}.");
        var copy = new PooledPixels(count, pixelsPerImage);
        values.CopyTo(copy.Array, 0);
        return copy;
    }

    private static List<RequestedOutput> RequestedOutputs(ModelInferRequest request)
    {
        // Always raw: Triton's clients read raw_output_contents only.
        if (request.Outputs.Count == 0) return InferenceModels.AllOutputs(binary: true);
        var outputs = new List<RequestedOutput>();
        foreach (var output in request.Outputs) InferenceModels.AddOutput(outputs, output.Name, binary: true);
        return outputs;
    }

    private static ModelInferResponse Response(InferenceResult result)
    {
        var response = new ModelInferResponse { ModelName = result.ModelName, ModelVersion = result.ModelVersion, Id = result.Id ?? "" };
        foreach (var output in result.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name };
            switch (output.Name)
            {
                case InferenceTensors.Scores:
                    tensor.Datatype = InferenceTensors.Fp32;
                    tensor.Shape.Add([result.Count, result.ScoresPerImage]);
                    response.RawOutputContents.Add(Raw<float>(result.Scores));
                    break;
                case InferenceTensors.Label:
                    tensor.Datatype = InferenceTensors.Int64;
                    tensor.Shape.Add(result.Count);
                    response.RawOutputContents.Add(Raw<long>(result.Labels));
                    break;
                case InferenceTensors.ClassName:
                    // Raw like the others: the protocol allows no contents beside raw_output_contents.
                    tensor.Datatype = InferenceTensors.Bytes;
                    tensor.Shape.Add(result.Count);
                    response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(BytesTensor.Raw(result.ClassNames)));
                    break;
                default:
                    tensor.Datatype = InferenceTensors.Fp64;
                    tensor.Shape.Add(result.Count);
                    response.RawOutputContents.Add(Raw<double>(result.Radii));
                    break;
            }
            response.Outputs.Add(tensor);
        }
        return response;
    }

    // The protocol's raw tensors are little-endian, as this machine is.
    private static ByteString Raw<T>(T[] values) where T : unmanaged => ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));

    private static Wire.ModelMetadataResponse.Types.TensorMetadata Describe(TensorMetadata tensor) =>
        new() { Name = tensor.Name, Datatype = tensor.Datatype, Shape = { tensor.Shape } };

    /// <summary>Turns a refused request into the gRPC status its REST twin's HTTP status stands for.</summary>
    private static async Task<T> Guarded<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (InferenceError e)
        {
            var code = e.StatusCode switch
            {
                StatusCodes.Status404NotFound => StatusCode.NotFound,
                StatusCodes.Status429TooManyRequests or StatusCodes.Status413PayloadTooLarge => StatusCode.ResourceExhausted,
                _ => StatusCode.InvalidArgument,
            };
            throw new RpcException(new Status(code, e.Message));
        }
    }
}
