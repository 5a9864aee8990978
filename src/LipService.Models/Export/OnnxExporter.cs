using Google.Protobuf;
using LipService.Models.Activations;
using LipService.Models.Networks;
using LipService.Models.Pooling;
using Onnx;
using static LipService.Models.Export.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace LipService.Models.Export;

/// <summary>
/// An exported network as an ONNX graph (opset 17, IR version 8): input "input" float32 [N, 784],
/// output "scores" float32 [N, outputs]; Gemm for dense layers, Conv for convolutions (circular
/// padding as Slice + Concat before it, the down-sampling as a stride-2 Conv), GroupSort2
/// as Reshape → ReduceMin / ReduceMax → Concat → Reshape, the L2-norm pooling as
/// Mul → AveragePool → Mul → Add → Sqrt. Every step computes what the TorchSharp module computes.
/// </summary>
/// <remarks>
/// Opset 17 is the last where ReduceMin and ReduceMax take their axes as an attribute; ONNX 1.12
/// and every current runtime read it.
/// </remarks>
public static class OnnxExporter
{
    public const long IrVersion = 8;
    public const long Opset = 17;
    public const string InputName = "input";
    public const string OutputName = "scores";

    /// <summary>Why the network of <paramref name="spec"/> has no ONNX form here, or null when it has.</summary>
    public static string? ExplainNotExportable(LipschitzNetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Activation switch
        {
            ActivationKind.GroupSort2 or ActivationKind.ReLU => null,
            ActivationKind.GroupSort when spec.GroupSize == 2 => null,
            ActivationKind.FullSort => "FullSort sorts whole layers, which the ONNX export does not write: it writes GroupSort2 (pairwise min/max) and ReLU only.",
            ActivationKind.GroupSort => $"GroupSort({spec.GroupSize}) sorts groups of {spec.GroupSize}, which the ONNX export does not write: it writes GroupSort2 (pairwise min/max) and ReLU only.",
            _ => $"The activation {spec.Activation} has no ONNX form here.",
        };
    }

    public static byte[] Export(ExportedNetwork network, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        var spec = network.Spec;
        if (ExplainNotExportable(spec) is { } reason) throw new NotSupportedException(reason);
        // Initializers carry the host's float bytes as raw_data, which ONNX defines as little-endian.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export needs a little-endian host.");

        var graph = new GraphProto { Name = "lipservice" };
        var builder = new OnnxGraphBuilder(graph);
        graph.Input.Add(BatchedFloat(InputName, spec.InputSize));
        using (var scope = NewDisposeScope())
        {
            var state = network.state_dict();
            string x = InputName;
            if (spec.IsConvolutional)
                x = builder.Node("Reshape", [x, builder.Int64Initializer("input_shape", -1, spec.InputChannels, spec.InputHeight, spec.InputWidth)]);
            foreach (var layer in spec.Layers())
            {
                if (layer.FlattenBefore is not null) x = builder.Node("Flatten", [x], [Int("axis", 1)]);
                x = Linear(builder, state, layer, x);
                if (layer.ActivationName is not null) x = Activation(builder, spec.Activation, layer, x);
                if (layer.PoolName is not null) x = Pool(builder, layer, x);
            }
        }
        graph.Output.Add(BatchedFloat(OutputName, spec.Outputs));

        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "LipService", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    private static string Linear(OnnxGraphBuilder builder, Dictionary<string, Tensor> state, LayerPlan layer, string x)
    {
        var inputs = new List<string> { x, Initializer(builder, state, $"layers.{layer.Name}.weight") };
        if (layer.Bias) inputs.Add(Initializer(builder, state, $"layers.{layer.Name}.bias"));
        if (layer.IsConvolution)
        {
            long k = layer.KernelSize, pad = layer.Padding, stride = layer.Stride;
            if (layer.Kind == LayerKind.OrthogonalConvolution)
            {
                // The wrap-around padding, done beforehand: the Conv itself then pads nothing.
                inputs[0] = WrapAround(builder, layer, x);
                pad = 0;
            }
            return builder.Node("Conv", inputs,
                [Ints("kernel_shape", k, k), Ints("pads", pad, pad, pad, pad), Ints("strides", stride, stride), Ints("dilations", 1, 1), Int("group", 1)]);
        }
        // Gemm with transB reads the (out, in) kernel as torch's Linear stores it.
        return builder.Node("Gemm", inputs, [Int("transB", 1)], output: layer.IsOutput ? OutputName : null);
    }

    /// <summary>
    /// Circular padding by p on both spatial axes as torch's padding_mode="circular" does it: the last p
    /// rows before the image and the first p after it (Slice + Concat; Pad's "wrap" mode needs opset 19).
    /// </summary>
    private static string WrapAround(OnnxGraphBuilder builder, LayerPlan layer, string x)
    {
        long p = layer.Padding;
        if (p == 0) return x;
        foreach (var (axis, size) in new[] { (2L, layer.Height), (3L, layer.Width) })
        {
            string name = $"{layer.Name}.wrap{axis}";
            string axes = builder.Int64Initializer($"{name}.axes", axis);
            string tail = builder.Node("Slice", [x, builder.Int64Initializer($"{name}.tail_start", size - p), builder.Int64Initializer($"{name}.tail_end", size), axes]);
            string head = builder.Node("Slice", [x, builder.Int64Initializer($"{name}.head_start", 0), builder.Int64Initializer($"{name}.head_end", p), axes]);
            x = builder.Node("Concat", [tail, x, head], [Int("axis", axis)]);
        }
        return x;
    }

    private static string Initializer(OnnxGraphBuilder builder, Dictionary<string, Tensor> state, string name)
    {
        var tensor = state[name].detach().cpu().contiguous();
        return builder.FloatInitializer(name, tensor.shape, tensor.data<float>().ToArray());
    }

    /// <summary>
    /// GroupSort2 as the module computes it: features (0,1), (2,3), … of a dense layer, or the same
    /// channel pairs at each pixel after a convolution, each pair written back as [min, max].
    /// </summary>
    private static string Activation(OnnxGraphBuilder builder, ActivationKind kind, LayerPlan layer, string x)
    {
        if (kind == ActivationKind.ReLU) return builder.Node("Relu", [x]);
        string name = layer.ActivationName!;
        long width = layer.OutFeatures;
        bool conv = layer.IsConvolution;
        long[] pairs = conv ? [-1, width / 2, 2, layer.OutputHeight * layer.OutputWidth] : [-1, width / 2, 2];
        long[] back = conv ? [-1, width, layer.OutputHeight, layer.OutputWidth] : [-1, width];
        string paired = builder.Node("Reshape", [x, builder.Int64Initializer($"{name}.pairs", pairs)]);
        string min = builder.Node("ReduceMin", [paired], [Ints("axes", 2), Int("keepdims", 1)]);
        string max = builder.Node("ReduceMax", [paired], [Ints("axes", 2), Int("keepdims", 1)]);
        string sorted = builder.Node("Concat", [min, max], [Int("axis", 2)]);
        return builder.Node("Reshape", [sorted, builder.Int64Initializer($"{name}.shape", back)]);
    }

    /// <summary>
    /// ScaledL2NormPooling2D's own steps, √(avg_pool(x²)·4 + ε²): the same float32 operations in the
    /// same order (LpPool would sum in another order and has no ε).
    /// </summary>
    private static string Pool(OnnxGraphBuilder builder, LayerPlan layer, string x)
    {
        string name = layer.PoolName!;
        const long size = 2;
        string squares = builder.Node("Mul", [x, x]);
        string mean = builder.Node("AveragePool", [squares], [Ints("kernel_shape", size, size), Ints("strides", size, size)]);
        string sums = builder.Node("Mul", [mean, builder.ScalarInitializer($"{name}.area", size * size)]);
        string padded = builder.Node("Add", [sums, builder.ScalarInitializer($"{name}.epsilon", (float)(ScaledL2NormPooling2D.Epsilon * ScaledL2NormPooling2D.Epsilon))]);
        return builder.Node("Sqrt", [padded]);
    }
}
