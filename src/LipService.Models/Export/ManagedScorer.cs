using System.Numerics.Tensors;
using LipService.Models.Activations;

namespace LipService.Models.Export;

/// <summary>
/// Scores single digits and small batches of an <see cref="ExportedNetwork"/> with SIMD primitives
/// on managed copies of its kernels, without libtorch: for one digit the fixed cost of a dozen
/// native tensor calls outweighs the arithmetic (≈35 µs against ≈5 µs).
/// </summary>
/// <remarks>
/// GroupSort2 pairs adjacent features. The rows of each kernel feeding GroupSort2 are reordered so
/// that the pairs' first members form the first half of the layer's output and the second members
/// the second half; min and max then act on two contiguous halves, and the next kernel's columns
/// are reordered to match. The network computed is exactly the same function. Instances are
/// immutable and safe to share between threads.
/// </remarks>
public sealed class ManagedScorer
{
    private readonly float[][] weights; // row-major (out, in), rows/columns reordered as above
    private readonly float[]?[] biases;
    private readonly int[] widths; // widths[0] = input size
    private readonly bool relu;

    private ManagedScorer(float[][] weights, float[]?[] biases, int[] widths, bool relu)
    {
        this.weights = weights;
        this.biases = biases;
        this.widths = widths;
        this.relu = relu;
    }

    public int InputSize => widths[0];

    /// <summary>A scorer for <paramref name="network"/>, or null when it is not a dense one-output network or its activation has no managed implementation (only GroupSort2 and ReLU do).</summary>
    public static ManagedScorer? TryCreate(ExportedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var spec = network.Spec;
        bool groupSort2 = spec.Activation == ActivationKind.GroupSort2 || (spec.Activation == ActivationKind.GroupSort && spec.GroupSize == 2);
        if (!groupSort2 && spec.Activation != ActivationKind.ReLU) return null;
        if (spec.Outputs != 1 || spec.IsConvolutional) return null;

        var kernels = network.Kernels();
        int layers = kernels.Count;
        var weights = new float[layers][];
        var biases = new float[]?[layers];
        var widths = new int[layers + 1];
        widths[0] = spec.InputSize;
        int[]? previousOrder = null;
        for (int l = 0; l < layers; l++)
        {
            var (w, b) = kernels[l];
            int rows = (int)w.GetLength(0), cols = (int)w.GetLength(1);
            widths[l + 1] = rows;
            int[]? rowOrder = groupSort2 && l < layers - 1 ? PairsSplitOrder(rows) : null;
            weights[l] = new float[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                int sourceRow = rowOrder?[r] ?? r;
                for (int c = 0; c < cols; c++)
                    weights[l][r * cols + c] = w[sourceRow, previousOrder?[c] ?? c];
            }
            if (b is not null)
            {
                biases[l] = new float[rows];
                for (int r = 0; r < rows; r++) biases[l]![r] = b[rowOrder?[r] ?? r];
            }
            previousOrder = rowOrder;
        }
        return new ManagedScorer(weights, biases, widths, !groupSort2);
    }

    /// <summary>f(x) for each of the <c>scores.Length</c> inputs laid out one after another in <paramref name="inputs"/>.</summary>
    public void Score(ReadOnlySpan<float> inputs, Span<float> scores)
    {
        int inputSize = widths[0];
        if (inputs.Length != scores.Length * inputSize)
            throw new ArgumentException($"Expected {scores.Length} × {inputSize} values, got {inputs.Length}.", nameof(inputs));
        int widest = 0;
        foreach (int w in widths) widest = Math.Max(widest, w);
        // Two small buffers per call, not per digit; layers alternate between them.
        var a = new float[widest];
        var b = new float[widest];
        for (int i = 0; i < scores.Length; i++)
        {
            var current = inputs.Slice(i * inputSize, inputSize);
            for (int l = 0; l < weights.Length; l++)
            {
                var output = (l % 2 == 0 ? a : b).AsSpan(0, widths[l + 1]);
                Dense(l, current, output);
                if (l < weights.Length - 1) Activate(output);
                current = output;
            }
            scores[i] = current[0];
        }
    }

    private void Dense(int layer, ReadOnlySpan<float> input, Span<float> output)
    {
        var w = weights[layer].AsSpan();
        int cols = input.Length;
        for (int r = 0; r < output.Length; r++) output[r] = TensorPrimitives.Dot(w.Slice(r * cols, cols), input);
        if (biases[layer] is { } bias) TensorPrimitives.Add(output, bias, output);
    }

    private void Activate(Span<float> values)
    {
        if (relu)
        {
            TensorPrimitives.Max(values, 0f, values);
            return;
        }
        int half = values.Length / 2;
        var first = values[..half];
        var second = values[half..];
        Span<float> low = half <= 512 ? stackalloc float[half] : new float[half];
        TensorPrimitives.Min(first, second, low);
        TensorPrimitives.Max(first, second, second);
        low.CopyTo(first);
    }

    /// <summary>[0, 2, 4, …, 1, 3, 5, …]: pair members split into two halves.</summary>
    private static int[] PairsSplitOrder(int width)
    {
        var order = new int[width];
        for (int k = 0; k < width / 2; k++)
        {
            order[k] = 2 * k;
            order[width / 2 + k] = 2 * k + 1;
        }
        return order;
    }
}
