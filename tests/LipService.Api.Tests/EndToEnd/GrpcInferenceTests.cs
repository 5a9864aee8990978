using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LipService.Api.Inference.Grpc;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.EndToEnd;

/// <summary>
/// The Open Inference Protocol over gRPC, on the real executable's own HTTP/2 port: the same digits
/// get the same answers as through /predict and the REST face.
/// </summary>
public sealed class GrpcInferenceTests : IDisposable
{
    private readonly TempFolder folder = new("lipservice-grpc-");

    [Fact]
    public async Task ModelInferAnswersAsPredictAndRestDoAndErrorsHaveTheirStatus()
    {
        int grpcPort = Cli.Executable.FreePort();
        using var service = await ServiceProcess.StartAsync(folder.Path, "--Grpc:Port", grpcPort.ToString());
        var job = await service.Client.TrainAsync("""{"epochs": 2, "seed": 3}""");
        string modelId = job["modelId"]!.GetValue<string>();
        var before = await ScrapeAsync(service.Client);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        Assert.True((await client.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await client.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.Contains("binary_tensor_data", (await client.ServerMetadataAsync(new ServerMetadataRequest())).Extensions);
        var metadata = await client.ModelMetadataAsync(new ModelMetadataRequest { Name = modelId });
        Assert.Equal([modelId], metadata.Versions);
        Assert.Equal([-1L, 784L], metadata.Inputs.Single().Shape);
        Assert.Equal(["scores", "label", "certified_radius", "class_name"], metadata.Outputs.Select(o => o.Name));
        Assert.True((await client.ModelReadyAsync(new ModelReadyRequest { Name = modelId, Version = modelId })).Ready);

        var digits = MnistDigits.Take(5);
        float[] pixels = [.. digits.SelectMany(d => d.Pixels)];
        var request = new ModelInferRequest { ModelName = modelId, Id = "g1" };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 5, 784 } });
        request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(pixels.AsSpan())));
        var response = await client.ModelInferAsync(request);
        Assert.Equal(("g1", modelId), (response.Id, response.ModelVersion));
        Assert.Equal([5L, 1L], response.Outputs[0].Shape);
        float[] scores = MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray();
        long[] labels = MemoryMarshal.Cast<byte, long>(response.RawOutputContents[1].Span).ToArray();
        // An MNIST model's class names are its digits, raw as the protocol's BYTES.
        Assert.Equal(("class_name", "BYTES"), (response.Outputs[3].Name, response.Outputs[3].Datatype));
        Assert.Equal(labels.Select(label => label.ToString()), Inference.UploadedModelRestTests.ReadBytesTensor(response.RawOutputContents[3].Span));

        // The REST face with binary input gets the very same floats: bit-for-bit equal scores.
        var rest = await service.Client.PostJsonAsync($"/v2/models/{modelId}/infer", JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { 5, 784 }, data = pixels } },
        }));
        var restScores = (await rest.JsonAsync())["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var predict = await (await service.Client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { modelId, images = digits.Select(d => d.Pixels) }))).JsonAsync();
        for (int i = 0; i < 5; i++)
        {
            // JSON text to float may differ from the raw float by one ulp per pixel (6e-8), which moves a
            // 1-Lipschitz score by at most √784·6e-8 ≈ 1.7e-6.
            Tolerance.Absolute(restScores[i], scores[i], 2e-6);
            Tolerance.Absolute(predict["predictions"]![i]!["score"]!.GetValue<float>(), scores[i], 2e-6);
            Assert.Equal(predict["predictions"]![i]!["label"]!.GetValue<int>(), labels[i]);
        }

        // Typed contents instead of raw bytes: the same answer exactly.
        var typed = new ModelInferRequest { ModelName = modelId };
        typed.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 5, 784 }, Contents = new InferTensorContents { Fp32Contents = { pixels } } });
        typed.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "scores" });
        var typedResponse = await client.ModelInferAsync(typed);
        Assert.Equal(scores, MemoryMarshal.Cast<byte, float>(typedResponse.RawOutputContents.Single().Span).ToArray());

        // A client no one here wrote: Node's grpc-js loading the same .proto, raw FP32 in and out.
        var node = await NodeClientAsync(grpcPort, modelId, pixels, 5);
        Assert.Equal(("node-1", modelId), (node.GetProperty("id").GetString(), node.GetProperty("version").GetString()));
        Assert.Equal(scores, node.GetProperty("scores").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(labels, node.GetProperty("labels").EnumerateArray().Select(v => v.GetInt64()));

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(new ModelInferRequest { ModelName = "nope", Inputs = { request.Inputs }, RawInputContents = { request.RawInputContents } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        var bad = new ModelInferRequest { ModelName = modelId };
        bad.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 1, 783 } });
        var badShape = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(bad).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badShape.StatusCode);
        Assert.Contains($"[N, 784] or [N, 1, 28, 28] for model {modelId} (got [1, 783])", badShape.Status.Detail);

        // /metrics counts the three answered ModelInfer calls (ours raw and typed, Node's), not the refused ones.
        var after = await ScrapeAsync(service.Client);
        var grpc = ("input", "grpc");
        Assert.Equal(3, after.Sum("lipservice_predict_requests_total", grpc) - before.Sum("lipservice_predict_requests_total", grpc));
        Assert.Equal(15, after.Sum("lipservice_predict_digits_total", grpc) - before.Sum("lipservice_predict_digits_total", grpc));
    }

    [Fact]
    public async Task ModelInferSpendsTheClientsDigitBudgetAsRestDoes()
    {
        int grpcPort = Cli.Executable.FreePort();
        using var service = await ServiceProcess.StartAsync(folder.Path, "--Grpc:Port", grpcPort.ToString(), "--Serving:PredictPermitsPerSecond", "4");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        // The budget is charged before the model is looked up, so no model is needed to spend it.
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(Zeros(5)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, tooMany.StatusCode);
        Assert.Contains("allows 4 per second", tooMany.Status.Detail);
        var first = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(Zeros(3)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, first.StatusCode);
        var second = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(Zeros(3)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, second.StatusCode);
        Assert.Contains("retry after", second.Status.Detail);

        var metrics = await ScrapeAsync(service.Client);
        Assert.Equal(1, metrics.Sum("lipservice_rate_limited_requests_total"));
    }

    private static ModelInferRequest Zeros(int count)
    {
        var request = new ModelInferRequest { ModelName = "no-such-model" };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { count, 784 } });
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[count * 784 * sizeof(float)]));
        return request;
    }

    private static async Task<Monitoring.Exposition> ScrapeAsync(HttpClient client) =>
        new(await client.GetStringAsync("/metrics"));

    private async Task<JsonElement> NodeClientAsync(int port, string modelId, float[] pixels, int count)
    {
        string tool = RepositoryPaths.File("tools", "oip-grpc-client");
        Assert.True(Directory.Exists(Path.Combine(tool, "node_modules", "@grpc", "grpc-js")),
            $"The Node gRPC client is not installed: run `npm ci --prefix tools/oip-grpc-client` in {RepositoryPaths.Root} (needs Node.js and npm).");
        string input = Path.Combine(folder.Path, "pixels.f32");
        await File.WriteAllBytesAsync(input, MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray());
        var start = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = tool };
        foreach (string arg in new[] { "infer.js", $"127.0.0.1:{port}", modelId, input, count.ToString(), RepositoryPaths.File("src", "LipService.Api", "Protos", "open_inference_grpc.proto") })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node infer.js exited {process.ExitCode}: {await errors}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }

    public void Dispose() => folder.Dispose();
}
