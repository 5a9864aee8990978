using LipService.Models.Activations;
using LipService.Models.Networks;
using LipService.Training.Data;

namespace LipService.Training.Specs;

/// <summary>
/// Everything a training run needs besides data. Every default is the notebook's: MNIST 0 (+1) vs
/// 8 (−1), SpectralDense 32 → 16 with GroupSort2, FrobeniusDense(1) without bias, HKR(α = 10,
/// m = 1), Adam(1e-3), batch 128, 10 epochs.
/// </summary>
/// <remarks>
/// Two classes train the notebook's binary model: one output, positive for the first class.
/// Three or more train one output per class, in the order listed, with a jointly 1-Lipschitz
/// SpectralDense head so that certificates use the √2 factor (reference §12.1).
/// </remarks>
public sealed record TrainingSpec
{
    public const int MaxEpochs = 1000;
    public const int MaxBatchSize = 8192;

    /// <summary>The largest label of an uploaded dataset: stored as one byte (the uploads' own limit is lower, a setting).</summary>
    public const int MaxUploadedLabel = 255;

    private static readonly IReadOnlyDictionary<string, string> NothingUnread = new Dictionary<string, string>();

    /// <summary>The <see cref="TrainingPresets"/> entry the other fields started from.</summary>
    public string Preset { get; init; } = TrainingPresets.Notebook;

    public DatasetRef Dataset { get; init; } = DatasetKind.Mnist;

    /// <summary>The size of the dataset's images, the network's input: MNIST's unless the dataset is an uploaded one.</summary>
    /// <remarks>Set from the uploaded dataset when a job is submitted, so that a stored spec builds its network without the dataset.</remarks>
    public ImageShape Input { get; init; } = ImageShape.Mnist;

    /// <summary>
    /// The uploaded dataset's class names, by label (index = label; null where a label has none):
    /// copied when a job is submitted, so that a model names its answers after the dataset is deleted.
    /// Null for the built-in datasets, whose names <see cref="DatasetKinds.ClassName"/> knows.
    /// </summary>
    public IReadOnlyList<string?>? ClassNames { get; init; }

    /// <summary>The name of <paramref name="label"/> as the dataset gives it: a folder's name, or the label value as text.</summary>
    public string ClassName(int label) => Dataset.IsUploaded
        ? (ClassNames is { } names && label >= 0 && label < names.Count ? names[label] : null) ?? label.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : DatasetKinds.ClassName(Dataset.Kind, label);

    /// <summary>The labels the model tells apart, in output order (0-9 for the built-in datasets, the uploaded dataset's labels otherwise); two = binary.</summary>
    public IReadOnlyList<int> Classes { get; init; } = [0, 8];

    /// <summary>The binary model's +1 class (the first of <see cref="Classes"/>).</summary>
    public int PositiveClass => Classes[0];

    /// <summary>The binary model's −1 class (the second of <see cref="Classes"/>).</summary>
    public int NegativeClass => Classes[1];

    public bool IsBinary => Classes.Count == 2;

    /// <summary>Dense, or Conv: <see cref="Channels"/>, then the dense layers.</summary>
    public ArchitectureKind Architecture { get; init; } = ArchitectureKind.Dense;

    /// <summary>Output channels of the SpectralConv2D layers of a conv network, each followed by a 2×2 L2-norm pooling.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [];

    public IReadOnlyList<int> Hidden { get; init; } = [32, 16];

    public ActivationChoice Activation { get; init; } = ActivationChoice.GroupSort2;

    public double Alpha { get; init; } = 10.0;

    /// <summary>
    /// The margin: hkr's hinge margin m (and the margin of the hinge metric every multiclass loss
    /// reports), or μ of pairwise-hinge and offset-cce, the target of f_y − f_j (a margin μ
    /// certifies a radius μ/(√2·L)).
    /// </summary>
    public double MinMargin { get; init; } = 1.0;

    /// <summary>
    /// Hkr (α·hinge − KR, margin m), TauCrossEntropy (cross-entropy of softmax(τ·f), divided by τ),
    /// PairwiseHinge ((1/C)·Σ_{j≠y} max(0, μ − (f_y − f_j)), μ = <see cref="MinMargin"/>) or
    /// OffsetCrossEntropy (T·CE((f − μ·e_y)/T), μ = <see cref="MinMargin"/>, T = 1/<see cref="Tau"/>);
    /// all but Hkr need three or more classes.
    /// </summary>
    public LossKind Loss { get; init; } = LossKind.Hkr;

    /// <summary>
    /// τ of tau-cce, and the inverse temperature of offset-cce (T = 1/τ: Prach et al.'s T = 0.25
    /// is τ = 4): low favours robustness, high accuracy.
    /// </summary>
    public double Tau { get; init; } = 10.0;

    public double LearningRate { get; init; } = 1e-3;

    public ScheduleKind LearningRateSchedule { get; init; } = ScheduleKind.Constant;

    /// <summary>The factor on <see cref="LearningRate"/> during <paramref name="epoch"/> (from 1).</summary>
    public double LearningRateScale(int epoch) => LearningRateSchedule == ScheduleKind.Cosine
        ? 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Epochs))
        : 1;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 128;

    public int Seed { get; init; } = 42;

    /// <summary>Auto trains on cuda when available.</summary>
    public DeviceKind Device { get; init; } = DeviceKind.Auto;

    /// <summary>Default (deel-lip ≥ 1.4: exact σ, ε-stopped Björck, from the Gram matrix's eigenvalues) or Deel2021 (the notebook's fixed iteration counts).</summary>
    public NormalizationPreset Normalization { get; init; } = NormalizationPreset.Default;

    /// <summary>Every problem keyed by the camelCase field name; empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate() => Validate(NothingUnread);

    /// <summary>
    /// As <see cref="Validate()"/>, for a spec read from text: <paramref name="unread"/> holds the
    /// message of each choice field whose name was unknown (keyed by <see cref="SpecChoice{T}.Field"/>;
    /// the spec holds its preset's value there). Each takes its field's place among the errors, and
    /// the checks that depend on that field are left out, as its value is unknown.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Validate(IReadOnlyDictionary<string, string> unread)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];
        bool Unread<T>(SpecChoice<T> choice) where T : struct
        {
            if (!unread.TryGetValue(choice.Field, out string? message)) return false;
            Add(choice.Field, message);
            return true;
        }

        if (!TrainingPresets.TryGet(Preset, out _)) Add("preset", $"Unknown preset '{Preset}'; use {string.Join(", ", TrainingPresets.Names)}.");
        Unread(SpecChoices.Dataset);
        if (ExplainClasses(Classes, Dataset.IsUploaded ? MaxUploadedLabel : 9) is { } classProblem) Add("classes", classProblem);
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) Add("alpha", $"alpha must be a finite number ≥ 0 (got {Alpha}).");
        if (!(MinMargin > 0) || double.IsInfinity(MinMargin)) Add("minMargin", $"minMargin must be a finite number > 0 (got {MinMargin}).");
        if (!(Tau > 0) || double.IsInfinity(Tau)) Add("tau", $"tau must be a finite number > 0 (got {Tau}).");
        if (!Unread(SpecChoices.Loss) && Loss != LossKind.Hkr && Classes is { Count: 2 })
            Add("loss", $"{SpecChoices.Loss.NameOf(Loss)} needs three or more classes (it compares one score per class); a two-class model has one output and trains with hkr.");
        // An unknown architecture builds no convolutions, so its channels are not checked (the network checks below see none).
        bool architectureUnread = Unread(SpecChoices.Architecture);
        if (!architectureUnread && Architecture.HasConvolutions() && Channels is not { Count: > 0 }) Add("channels", $"A {SpecChoices.Architecture.NameOf(Architecture)} network needs at least one entry in channels.");
        else if (!architectureUnread && Architecture == ArchitectureKind.Dense && Channels is { Count: > 0 }) Add("channels", "channels apply to architectures conv, ortho-conv and ortho-conv-unshuffle only.");
        if (!(LearningRate > 0 && LearningRate <= 1)) Add("learningRate", $"learningRate must be in (0, 1] (got {LearningRate}).");
        Unread(SpecChoices.LearningRateSchedule);
        if (Epochs is < 1 or > MaxEpochs) Add("epochs", $"epochs must be in 1..{MaxEpochs} (got {Epochs}).");
        if (BatchSize is < 1 or > MaxBatchSize) Add("batchSize", $"batchSize must be in 1..{MaxBatchSize} (got {BatchSize}).");
        Unread(SpecChoices.Device);
        Unread(SpecChoices.Normalization);
        // Which widths a network may have depends on its activation: without one, its shape cannot be judged.
        if (!Unread(SpecChoices.Activation))
        {
            var networkErrors = NetworkSpecUnchecked(convolutions: !architectureUnread).Validate();
            if (networkErrors.TryGetValue(nameof(LipschitzNetworkSpec.Hidden), out var hiddenError)) Add("hidden", hiddenError);
            if (!errors.ContainsKey("channels") && networkErrors.TryGetValue(nameof(LipschitzNetworkSpec.Channels), out var channelError)) Add("channels", channelError);
            // The stem's only check a request can fail is its 4 channels against the activation's group size.
            if (networkErrors.TryGetValue(nameof(LipschitzNetworkSpec.DownsampleInput), out var unshuffleError)) Add("activation", unshuffleError);
        }
        return errors;
    }

    /// <summary>The network this spec trains; throws <see cref="ArgumentException"/> when the spec is invalid.</summary>
    public LipschitzNetworkSpec ToNetworkSpec()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid training spec: " + string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return NetworkSpecUnchecked(convolutions: true);
    }

    private LipschitzNetworkSpec NetworkSpecUnchecked(bool convolutions)
    {
        bool binary = Classes is not { Count: > 2 };
        return new LipschitzNetworkSpec
        {
            InputSize = Input.Pixels,
            InputChannels = Input.Channels,
            InputHeight = Input.Height,
            InputWidth = Input.Width,
            Channels = convolutions && Architecture.HasConvolutions() ? Channels ?? [] : [],
            Convolution = Architecture.IsOrthogonal() ? ConvolutionKind.Orthogonal : ConvolutionKind.Spectral,
            DownsampleInput = convolutions && Architecture == ArchitectureKind.OrthoConvUnshuffle,
            Hidden = Hidden ?? [],
            Activation = Activation.Kind,
            GroupSize = Activation.GroupSize,
            HiddenBias = true,
            // One output: FrobeniusDense is exact and cheapest. Several: a jointly 1-Lipschitz head (√2 certificates).
            OutputLayer = binary ? OutputLayerKind.Frobenius : OutputLayerKind.Spectral,
            OutputBias = !binary,
            Outputs = binary ? 1 : Classes!.Count,
            Normalization = Normalization,
        };
    }

    private static string? ExplainClasses(IReadOnlyList<int>? classes, int maxLabel)
    {
        int most = maxLabel + 1;
        if (classes is null || classes.Count < 2 || classes.Count > most) return $"classes must list 2 to {most} distinct labels 0-{maxLabel} (got {classes?.Count ?? 0}).";
        var seen = new HashSet<int>();
        foreach (int label in classes)
        {
            if (label < 0 || label > maxLabel) return $"classes must be labels 0-{maxLabel} (got {label}).";
            if (!seen.Add(label)) return $"classes lists {label} twice.";
        }
        return null;
    }

    public bool IsFashionMnist => Dataset == DatasetKind.FashionMnist;
}
