using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LipService.Api.Inference.Grpc;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Inference;

/// <summary>
/// The Open Inference Protocol over gRPC for a model of an uploaded dataset (12×12, one channel): the
/// same shapes, answers and class names as its REST face.
/// </summary>
[Collection(UploadedModelCollection.Name)]
public sealed class UploadedModelGrpcTests(UploadedModelFixture service) : IDisposable
{
    private const int Side = UploadedModelFixture.Side;
    private const int Pixels = UploadedModelFixture.Pixels;

    private readonly GrpcChannel channel = GrpcChannel.ForAddress($"http://127.0.0.1:{service.GrpcPort}");

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(channel);

    [Fact]
    public async Task MetadataGivesTheModelsInputShapeAndAClassNameOutput()
    {
        var metadata = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = service.ModelId });
        var input = metadata.Inputs.Single();
        Assert.Equal(("input", "FP32"), (input.Name, input.Datatype));
        Assert.Equal([-1L, Pixels], input.Shape);
        Assert.Equal(["scores:FP32:-1,1", "label:INT64:-1", "certified_radius:FP64:-1", "class_name:BYTES:-1"],
            metadata.Outputs.Select(o => $"{o.Name}:{o.Datatype}:{string.Join(",", o.Shape)}"));
    }

    [Fact]
    public async Task RawAndTypedInputsOfTheModelsShapeAreAnsweredAsRestAnswersThem()
    {
        float[] pixels = UploadedModelFixture.Images(5, seed: 11);
        var raw = new ModelInferRequest { ModelName = service.ModelId, Id = "g-up" };
        raw.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 5, Pixels } });
        raw.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(pixels.AsSpan())));
        var response = await Client.ModelInferAsync(raw);
        Assert.Equal(("g-up", service.ModelId), (response.Id, response.ModelVersion));
        Assert.Equal(["scores", "label", "certified_radius", "class_name"], response.Outputs.Select(o => o.Name));
        var classNames = response.Outputs[3];
        Assert.Equal(("BYTES", 5L), (classNames.Datatype, classNames.Shape.Single()));
        Assert.Null(classNames.Contents);
        long[] labels = MemoryMarshal.Cast<byte, long>(response.RawOutputContents[1].Span).ToArray();
        var names = UploadedModelRestTests.ReadBytesTensor(response.RawOutputContents[3].Span);
        Assert.Equal(labels.Select(label => UploadedModelFixture.ClassNames[label]), names);

        // The REST face, binary in, answers the same floats and names.
        using var http = service.CreateClient();
        var rest = await (await http.PostJsonAsync($"/v2/models/{service.ModelId}/infer", JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 5, Pixels }, data = pixels } },
        }))).JsonAsync();
        var restNames = rest["outputs"]![3]!["data"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(names, restNames);

        // [N, 1, 12, 12] as typed contents, only the class names asked for: the same names.
        var typed = new ModelInferRequest { ModelName = service.ModelId };
        typed.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 5, 1, Side, Side }, Contents = new InferTensorContents { Fp32Contents = { pixels } } });
        typed.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "class_name" });
        var typedResponse = await Client.ModelInferAsync(typed);
        Assert.Equal("class_name", typedResponse.Outputs.Single().Name);
        Assert.Equal(names, UploadedModelRestTests.ReadBytesTensor(typedResponse.RawOutputContents.Single().Span));
    }

    [Theory]
    [InlineData(new long[] { 1, 784 }, "[N, 144] or [N, 1, 12, 12] for model MODEL (got [1, 784])")]
    [InlineData(new long[] { 1, 1, 28, 28 }, "[N, 144] or [N, 1, 12, 12] for model MODEL (got [1, 1, 28, 28])")]
    [InlineData(new long[] { 1, 3, 12, 12 }, "[N, 144] or [N, 1, 12, 12] for model MODEL (got [1, 3, 12, 12])")]
    public async Task ShapesOfAnotherModelAreInvalidArgumentsNamingThisOnes(long[] shape, string mentions)
    {
        long values = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var request = new ModelInferRequest { ModelName = service.ModelId };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { shape } });
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[values * sizeof(float)]));
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(mentions.Replace("MODEL", service.ModelId), refused.Status.Detail);
    }

    [Fact]
    public async Task RawBytesAreSizedForTheModel()
    {
        var request = new ModelInferRequest { ModelName = service.ModelId };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 2, Pixels } });
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[2 * 784 * sizeof(float)]));
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains($"has {2 * 784 * 4} bytes; the shape needs {2 * Pixels * 4}", refused.Status.Detail);
    }

    public void Dispose() => channel.Dispose();
}
