using LipService.Models.Activations;

namespace LipService.Models.Networks;

/// <summary>
/// A JSON-serializable description of a dense 1-Lipschitz network:
/// Flatten → SpectralDense(h₁, act) → … → SpectralDense(hₖ, act) → output layer (1 unit).
/// The defaults are the notebook's model.
/// </summary>
public sealed record LipschitzNetworkSpec
{
    public const int MaxHiddenLayers = 8;
    public const int MaxWidth = 4096;

    /// <summary>The notebook's 28×28 MNIST digits by default; training specs set it from the data set.</summary>
    public int InputSize { get; init; } = 784;

    public IReadOnlyList<int> Hidden { get; init; } = [32, 16];

    public ActivationKind Activation { get; init; } = ActivationKind.GroupSort2;

    /// <summary>Used by <see cref="ActivationKind.GroupSort"/> only.</summary>
    public int GroupSize { get; init; } = 2;

    public bool HiddenBias { get; init; } = true;

    public OutputLayerKind OutputLayer { get; init; } = OutputLayerKind.Frobenius;

    public bool OutputBias { get; init; }

    public int Outputs { get; init; } = 1;

    public NormalizationPreset Normalization { get; init; } = NormalizationPreset.Default;

    /// <summary>Every problem with this spec, keyed by property name; empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (InputSize < 1 || InputSize > 1 << 20) errors[nameof(InputSize)] = $"InputSize must be in 1..{1 << 20} (got {InputSize}).";
        if (Outputs < 1 || Outputs > MaxWidth) errors[nameof(Outputs)] = $"Outputs must be in 1..{MaxWidth} (got {Outputs}).";
        if (Hidden is null || Hidden.Count < 1 || Hidden.Count > MaxHiddenLayers)
        {
            errors[nameof(Hidden)] = $"Hidden must list 1 to {MaxHiddenLayers} layer widths.";
        }
        else
        {
            for (int i = 0; i < Hidden.Count; i++)
            {
                int width = Hidden[i];
                string? problem = width < 1 || width > MaxWidth
                    ? $"each width must be in 1..{MaxWidth}"
                    : ActivationFactory.ExplainIncompatibleWidth(Activation, width, GroupSize);
                if (problem is not null)
                {
                    errors[nameof(Hidden)] = $"Hidden[{i}] = {width}: {problem}";
                    break;
                }
            }
        }
        if (!Enum.IsDefined(Activation)) errors[nameof(Activation)] = $"Unknown activation {Activation}.";
        if (!Enum.IsDefined(OutputLayer)) errors[nameof(OutputLayer)] = $"Unknown output layer {OutputLayer}.";
        if (!Enum.IsDefined(Normalization)) errors[nameof(Normalization)] = $"Unknown normalization {Normalization}.";
        return errors;
    }

    /// <summary>The linear layers in order: the hidden ones (each followed by the activation), then the output layer.</summary>
    public IReadOnlyList<LayerPlan> Layers()
    {
        var layers = new List<LayerPlan>(Hidden.Count + 1);
        long width = InputSize;
        for (int i = 0; i < Hidden.Count; i++)
        {
            layers.Add(new LayerPlan($"dense{i}", width, Hidden[i], HiddenBias, IsOutput: false, ActivationName: $"act{i}"));
            width = Hidden[i];
        }
        layers.Add(new LayerPlan("output", width, Outputs, OutputBias, IsOutput: true, ActivationName: null));
        return layers;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid network spec: " + string.Join(" ", errors.Values));
    }
}
