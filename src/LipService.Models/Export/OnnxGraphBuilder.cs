using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace LipService.Models.Export;

/// <summary>
/// Appends ONNX nodes and initializers to a graph in topological order, naming each node's single
/// output after the node, so an exporter reads as the sequence of operations it emits.
/// </summary>
internal sealed class OnnxGraphBuilder(GraphProto graph)
{
    private int nodes;

    public string FloatInitializer(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        // raw_data is little-endian by definition; ExportGuard checks the host is too.
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A 1-D int64 initializer: the shape operand of Reshape.</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float scalar (rank 0) initializer, broadcast by Mul and Add.</summary>
    public string ScalarInitializer(string name, float value) => FloatInitializer(name, [], [value]);

    /// <summary>Adds a node with one output and returns that output's name; <paramref name="output"/> names graph outputs.</summary>
    public string Node(string opType, IEnumerable<string> inputs, IEnumerable<AttributeProto>? attributes = null, string? output = null)
    {
        string name = $"{opType}_{nodes++}";
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? name);
        if (attributes is not null) node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output ?? name;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float32 tensor value with a symbolic batch dimension "N" first.</summary>
    public static ValueInfoProto BatchedFloat(string name, params long[] featureDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (long dim in featureDims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
