namespace LipService.Api.Inference;

/// <summary>The tensor names and datatypes every LipService model has under the Open Inference Protocol.</summary>
public static class InferenceTensors
{
    /// <summary>
    /// FP32 pixels in [0, 1], [N, C·H·W] or [N, C, H, W] of the model's dataset, channel-major then row-major:
    /// [N, 784] or [N, 1, 28, 28] for MNIST and Fashion-MNIST (white item on black).
    /// </summary>
    public const string Input = "input";

    /// <summary>FP32 [N, outputs]: f(x); one score for a two-class model, one per class otherwise.</summary>
    public const string Scores = "scores";

    /// <summary>INT64 [N]: the predicted label (a digit, a Fashion-MNIST class number, or an uploaded dataset's label).</summary>
    public const string Label = "label";

    /// <summary>FP64 [N]: the certified L2 radius of each answer.</summary>
    public const string CertifiedRadius = "certified_radius";

    /// <summary>BYTES [N]: the predicted class's name (a digit, a Fashion-MNIST item, an uploaded dataset's folder name).</summary>
    public const string ClassName = "class_name";

    public const string Fp32 = "FP32";
    public const string Fp64 = "FP64";
    public const string Int64 = "INT64";
    public const string Bytes = "BYTES";

    /// <summary>Every output, in the order a response lists them when none is asked for by name.</summary>
    public static IReadOnlyList<string> Outputs { get; } = [Scores, Label, CertifiedRadius, ClassName];

    /// <summary>The binary tensor data extension's header: the byte length of the JSON part of a body.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";
}
