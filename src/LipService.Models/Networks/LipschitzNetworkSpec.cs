using LipService.Models.Activations;
using System.Text.Json.Serialization;
using LipService.Models.Certificates;

namespace LipService.Models.Networks;

/// <summary>
/// A JSON-serializable description of a 1-Lipschitz network:
/// [SpectralConv2D(c₁, act, L2-norm pool 2×2) → … →] Flatten → SpectralDense(h₁, act) → … →
/// SpectralDense(hₖ, act) → output layer, or with orthogonal convolutions
/// [OrthoConv2D(c₁, act) → OrthoDownsample2D(2c₁, act) → … →] Flatten → …. The defaults are the
/// notebook's dense model (no convolutions, one output).
/// </summary>
public sealed record LipschitzNetworkSpec
{
    public const int MaxHiddenLayers = 8;
    public const int MaxWidth = 4096;
    public const int MaxConvolutions = 4;
    public const int MaxChannels = 512;
    public const int MaxKernelSize = 7;

    /// <summary>The notebook's 28×28 MNIST digits by default; training specs set it from the data set.</summary>
    public int InputSize { get; init; } = 784;

    /// <summary>How a convolutional network sees the <see cref="InputSize"/> values: channels × height × width.</summary>
    public int InputChannels { get; init; } = 1;

    public int InputHeight { get; init; } = 28;

    public int InputWidth { get; init; } = 28;

    /// <summary>Output channels of the convolutions, each followed by the activation and a 2×2 L2-norm pooling; empty for a dense network.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [];

    /// <summary>Side of the convolutions' square kernels (odd, for symmetric "same" padding).</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>Spectral convolutions with L2-norm pooling, or orthogonal ones with orthogonal 2×2/s2 down-sampling.</summary>
    public ConvolutionKind Convolution { get; init; } = ConvolutionKind.Spectral;

    /// <summary>
    /// Orthogonal convolutions only: first an OrthoDownsample2D from the input's channels to four times
    /// as many, halving height and width. Its matrix is square (4·c values of a 2×2 patch in, 4·c out),
    /// so it is orthogonal both ways and passes every gradient back at full norm, where a first
    /// convolution from one channel to many is an isometry that passes back only the part of a gradient
    /// in its range. Left out of the JSON when false, so specs without it read and write as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DownsampleInput { get; init; }

    public IReadOnlyList<int> Hidden { get; init; } = [32, 16];

    public ActivationKind Activation { get; init; } = ActivationKind.GroupSort2;

    /// <summary>Used by <see cref="ActivationKind.GroupSort"/> only.</summary>
    public int GroupSize { get; init; } = 2;

    public bool HiddenBias { get; init; } = true;

    public OutputLayerKind OutputLayer { get; init; } = OutputLayerKind.Frobenius;

    public bool OutputBias { get; init; }

    public int Outputs { get; init; } = 1;

    public NormalizationPreset Normalization { get; init; } = NormalizationPreset.Default;

    [JsonIgnore]
    public bool IsConvolutional => Channels is { Count: > 0 };

    /// <summary>
    /// How the outputs share the bound: a SpectralDense head (or a single output) is jointly
    /// Lipschitz; FrobeniusDense normalizes each output neuron on its own.
    /// </summary>
    [JsonIgnore]
    public OutputCoupling Coupling => Outputs == 1 || OutputLayer == OutputLayerKind.Spectral ? OutputCoupling.Joint : OutputCoupling.Disjoint;

    /// <summary>Every problem with this spec, keyed by property name; empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (InputSize < 1 || InputSize > 1 << 20) errors[nameof(InputSize)] = $"InputSize must be in 1..{1 << 20} (got {InputSize}).";
        if (Outputs < 1 || Outputs > MaxWidth) errors[nameof(Outputs)] = $"Outputs must be in 1..{MaxWidth} (got {Outputs}).";
        ValidateConvolutions(errors);
        int minHidden = IsConvolutional ? 0 : 1;
        if (Hidden is null || Hidden.Count < minHidden || Hidden.Count > MaxHiddenLayers)
        {
            errors[nameof(Hidden)] = $"Hidden must list {minHidden} to {MaxHiddenLayers} layer widths.";
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

    /// <summary>
    /// The linear layers in order: the convolutions (each followed by the activation and a pooling),
    /// the hidden dense ones (each followed by the activation), then the output layer.
    /// </summary>
    public IReadOnlyList<LayerPlan> Layers()
    {
        var layers = new List<LayerPlan>(Channels.Count + Hidden.Count + 1);
        long width = InputSize;
        string? flatten = null;
        if (IsConvolutional)
        {
            long channels = InputChannels, height = InputHeight, side = InputWidth;
            bool orthogonal = Convolution == ConvolutionKind.Orthogonal;
            if (orthogonal && DownsampleInput)
            {
                layers.Add(new LayerPlan("stem", channels, StemChannels, HiddenBias, IsOutput: false, ActivationName: "stem_act")
                {
                    Kind = LayerKind.OrthogonalDownsampling,
                    KernelSize = 2,
                    Height = height,
                    Width = side,
                });
                (channels, height, side) = (StemChannels, height / 2, side / 2);
            }
            for (int i = 0; i < Channels.Count; i++)
            {
                layers.Add(new LayerPlan($"conv{i}", channels, Channels[i], HiddenBias, IsOutput: false, ActivationName: $"conv{i}_act")
                {
                    Kind = orthogonal ? LayerKind.OrthogonalConvolution : LayerKind.Convolution,
                    KernelSize = KernelSize,
                    Height = height,
                    Width = side,
                    PoolName = orthogonal ? null : $"pool{i}",
                });
                channels = Channels[i];
                if (orthogonal)
                {
                    layers.Add(new LayerPlan($"down{i}", channels, DownsampledChannels(i), HiddenBias, IsOutput: false, ActivationName: $"down{i}_act")
                    {
                        Kind = LayerKind.OrthogonalDownsampling,
                        KernelSize = 2,
                        Height = height,
                        Width = side,
                    });
                    channels = DownsampledChannels(i);
                }
                (height, side) = (height / 2, side / 2);
            }
            width = channels * height * side;
            flatten = "flatten";
        }
        for (int i = 0; i < Hidden.Count; i++)
        {
            layers.Add(new LayerPlan($"dense{i}", width, Hidden[i], HiddenBias, IsOutput: false, ActivationName: $"act{i}") { FlattenBefore = flatten });
            width = Hidden[i];
            flatten = null;
        }
        layers.Add(new LayerPlan("output", width, Outputs, OutputBias, IsOutput: true, ActivationName: null) { FlattenBefore = flatten });
        return layers;
    }

    /// <summary>Output channels of <see cref="DownsampleInput"/>'s layer: four times the input's, as the area quarters.</summary>
    private int StemChannels => 4 * InputChannels;

    /// <summary>How many times the convolutions' input is halved before the last convolution sees it.</summary>
    private int HalvingsBeforeLastConvolution => Channels.Count - 1 + (DownsampleInput ? 1 : 0);

    /// <summary>Output channels of the orthogonal down-sampling after convolution <paramref name="stage"/>: twice its input, as the area quarters.</summary>
    private int DownsampledChannels(int stage) => 2 * Channels[stage];

    private void ValidateConvolutions(Dictionary<string, string> errors)
    {
        if (Channels is null)
        {
            errors[nameof(Channels)] = "Channels must be a list (empty for a dense network).";
            return;
        }
        if (DownsampleInput && (!IsConvolutional || Convolution != ConvolutionKind.Orthogonal))
            errors[nameof(DownsampleInput)] = "DownsampleInput applies to orthogonal convolutions only.";
        if (!IsConvolutional) return;
        if (DownsampleInput && ActivationFactory.ExplainIncompatibleWidth(Activation, StemChannels, GroupSize) is { } stemProblem)
            errors[nameof(DownsampleInput)] = $"The input's down-sampling to {StemChannels} channels: {stemProblem}";
        if (DownsampleInput && (InputHeight % 2 != 0 || InputWidth % 2 != 0))
            errors[nameof(DownsampleInput)] = $"DownsampleInput halves the input, whose sides must be even (got {InputHeight}×{InputWidth}).";
        if (Channels.Count > MaxConvolutions)
            errors[nameof(Channels)] = $"Channels lists at most {MaxConvolutions} convolutions (got {Channels.Count}).";
        if (InputChannels < 1 || InputHeight < 1 || InputWidth < 1 || (long)InputChannels * InputHeight * InputWidth != InputSize)
            errors[nameof(InputSize)] = $"A convolutional network needs InputSize = channels·height·width ({InputChannels}·{InputHeight}·{InputWidth} ≠ {InputSize}).";
        else if (InputHeight >> Math.Min(HalvingsBeforeLastConvolution + 1, 30) < 1 || InputWidth >> Math.Min(HalvingsBeforeLastConvolution + 1, 30) < 1)
            errors[nameof(Channels)] = $"{Channels.Count} convolutions, each followed by a 2×2 pooling{(DownsampleInput ? ", after the input's down-sampling," : "")} leave nothing of a {InputHeight}×{InputWidth} input.";
        if (KernelSize < 1 || KernelSize > MaxKernelSize || KernelSize % 2 == 0)
            errors[nameof(KernelSize)] = $"KernelSize must be odd, 1..{MaxKernelSize} (got {KernelSize}).";
        if (!Enum.IsDefined(Convolution)) errors[nameof(Convolution)] = $"Unknown convolution kind {Convolution}.";
        if (Convolution == ConvolutionKind.Orthogonal && !errors.ContainsKey(nameof(Channels)) && !errors.ContainsKey(nameof(InputSize)))
        {
            // Circular padding wraps the kernel around the image: the last convolution's input must hold it.
            long smallest = Math.Min(InputHeight, InputWidth) >> HalvingsBeforeLastConvolution;
            if (smallest < KernelSize)
                errors[nameof(Channels)] = $"The last orthogonal convolution sees {smallest}×{smallest} pixels, smaller than its {KernelSize}×{KernelSize} kernel; use fewer convolutions or a smaller kernel.";
        }
        for (int i = 0; i < Channels.Count && !errors.ContainsKey(nameof(Channels)); i++)
        {
            int channels = Channels[i];
            string? problem = channels < 1 || channels > MaxChannels
                ? $"each must be in 1..{MaxChannels}"
                : ActivationFactory.ExplainIncompatibleWidth(Activation, channels, GroupSize);
            if (problem is null && Convolution == ConvolutionKind.Orthogonal)
                problem = DownsampledChannels(i) > MaxChannels
                    ? $"its down-sampling doubles it past {MaxChannels}"
                    : ActivationFactory.ExplainIncompatibleWidth(Activation, DownsampledChannels(i), GroupSize) is { } down
                        ? $"its down-sampling to {DownsampledChannels(i)} channels: {down}"
                        : channels < 2 && KernelSize > 1 ? "an orthogonal convolution needs at least 2 channels" : null;
            if (problem is not null) errors[nameof(Channels)] = $"Channels[{i}] = {channels}: {problem}";
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid network spec: " + string.Join(" ", errors.Values));
    }
}
