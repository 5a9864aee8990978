namespace LipService.Api.Inference;

/// <summary>The tensor names and datatypes every LipService model has under the Open Inference Protocol.</summary>
public static class InferenceTensors
{
    /// <summary>FP32 pixels in [0, 1], [N, 784] or [N, 1, 28, 28], row-major, white digit on black as MNIST.</summary>
    public const string Input = "input";

    /// <summary>FP32 [N, outputs]: f(x); one score for a two-class model, one per class otherwise.</summary>
    public const string Scores = "scores";

    /// <summary>INT64 [N]: the predicted label (a digit, or a Fashion-MNIST class number).</summary>
    public const string Label = "label";

    /// <summary>FP64 [N]: the certified L2 radius of each answer.</summary>
    public const string CertifiedRadius = "certified_radius";

    public const string Fp32 = "FP32";
    public const string Fp64 = "FP64";
    public const string Int64 = "INT64";

    /// <summary>Every output, in the order a response lists them when none is asked for by name.</summary>
    public static IReadOnlyList<string> Outputs { get; } = [Scores, Label, CertifiedRadius];

    /// <summary>The binary tensor data extension's header: the byte length of the JSON part of a body.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";
}
