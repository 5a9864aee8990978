namespace LipService.Api.Monitoring;

/// <summary>How a prediction request sent its digits: the <c>input</c> label of the prediction counters.</summary>
public enum PredictInput
{
    /// <summary>POST /predict with pixel arrays.</summary>
    Json,

    /// <summary>POST /predict with image files.</summary>
    Upload,

    /// <summary>Open Inference Protocol v2 REST, the tensor as JSON data.</summary>
    V2Json,

    /// <summary>Open Inference Protocol v2 REST, the tensor in the binary data extension.</summary>
    V2Binary,

    /// <summary>Open Inference Protocol v2 gRPC ModelInfer.</summary>
    Grpc,
}
