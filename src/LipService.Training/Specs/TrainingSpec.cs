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
    public const string Dense = "dense";
    public const string Conv = "conv";
    public const string HkrLoss = "hkr";
    public const string TauCrossEntropyLoss = "tau-cce";

    /// <summary>The <see cref="TrainingPresets"/> entry the other fields started from.</summary>
    public string Preset { get; init; } = TrainingPresets.Notebook;

    /// <summary>mnist or fashion-mnist.</summary>
    public string Dataset { get; init; } = DatasetKinds.MnistName;

    /// <summary>The labels (0-9) the model tells apart, in output order; two = binary.</summary>
    public IReadOnlyList<int> Classes { get; init; } = [0, 8];

    /// <summary>The binary model's +1 class (the first of <see cref="Classes"/>).</summary>
    public int PositiveClass => Classes[0];

    /// <summary>The binary model's −1 class (the second of <see cref="Classes"/>).</summary>
    public int NegativeClass => Classes[1];

    public bool IsBinary => Classes.Count == 2;

    /// <summary>dense (SpectralDense layers only) or conv (<see cref="Channels"/>, then the dense layers).</summary>
    public string Architecture { get; init; } = Dense;

    /// <summary>Output channels of the SpectralConv2D layers of a conv network, each followed by a 2×2 L2-norm pooling.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [];

    public IReadOnlyList<int> Hidden { get; init; } = [32, 16];

    public string Activation { get; init; } = "groupsort2";

    public double Alpha { get; init; } = 10.0;

    public double MinMargin { get; init; } = 1.0;

    /// <summary>hkr (α·hinge − KR, margin m) or tau-cce (cross-entropy of softmax(τ·f), divided by τ; three or more classes).</summary>
    public string Loss { get; init; } = HkrLoss;

    /// <summary>τ of tau-cce: low favours robustness, high accuracy.</summary>
    public double Tau { get; init; } = 10.0;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>constant, or cosine: epoch e (from 1) of E runs at ½·(1 + cos(π·(e−1)/E)) of the rate.</summary>
    public string LearningRateSchedule { get; init; } = ConstantSchedule;

    public const string ConstantSchedule = "constant";
    public const string CosineSchedule = "cosine";

    /// <summary>The factor on <see cref="LearningRate"/> during <paramref name="epoch"/> (from 1).</summary>
    public double LearningRateScale(int epoch) => IsKnown(LearningRateSchedule, CosineSchedule)
        ? 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Epochs))
        : 1;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 128;

    public int Seed { get; init; } = 42;

    /// <summary>cpu, cuda or auto (cuda when available).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>default (deel-lip ≥ 1.4: exact σ, ε-stopped Björck, from the Gram matrix's eigenvalues) or deel2021 (the notebook's fixed iteration counts).</summary>
    public string Normalization { get; init; } = "default";

    /// <summary>Every problem keyed by the camelCase field name; empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (!TrainingPresets.TryGet(Preset, out _)) Add("preset", $"Unknown preset '{Preset}'; use {string.Join(", ", TrainingPresets.Names)}.");
        if (!DatasetKinds.TryParse(Dataset, out _)) Add("dataset", $"Unknown dataset '{Dataset}'; supported: {string.Join(", ", DatasetKinds.Names)}.");
        if (ExplainClasses(Classes) is { } classProblem) Add("classes", classProblem);
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) Add("alpha", $"alpha must be a finite number ≥ 0 (got {Alpha}).");
        if (!(MinMargin > 0) || double.IsInfinity(MinMargin)) Add("minMargin", $"minMargin must be a finite number > 0 (got {MinMargin}).");
        if (!(Tau > 0) || double.IsInfinity(Tau)) Add("tau", $"tau must be a finite number > 0 (got {Tau}).");
        if (!IsKnown(Loss, HkrLoss, TauCrossEntropyLoss)) Add("loss", $"loss must be hkr or tau-cce (got '{Loss}').");
        else if (IsKnown(Loss, TauCrossEntropyLoss) && Classes is { Count: 2 }) Add("loss", "tau-cce needs three or more classes; a two-class model trains with hkr.");
        if (!IsKnown(Architecture, Dense, Conv)) Add("architecture", $"architecture must be dense or conv (got '{Architecture}').");
        else if (IsKnown(Architecture, Conv) && Channels is not { Count: > 0 }) Add("channels", "A conv network needs at least one entry in channels.");
        else if (IsKnown(Architecture, Dense) && Channels is { Count: > 0 }) Add("channels", "channels apply to architecture conv only.");
        if (!(LearningRate > 0 && LearningRate <= 1)) Add("learningRate", $"learningRate must be in (0, 1] (got {LearningRate}).");
        if (!IsKnown(LearningRateSchedule, ConstantSchedule, CosineSchedule)) Add("learningRateSchedule", $"learningRateSchedule must be constant or cosine (got '{LearningRateSchedule}').");
        if (Epochs is < 1 or > MaxEpochs) Add("epochs", $"epochs must be in 1..{MaxEpochs} (got {Epochs}).");
        if (BatchSize is < 1 or > MaxBatchSize) Add("batchSize", $"batchSize must be in 1..{MaxBatchSize} (got {BatchSize}).");
        if (!DeviceSelector.IsKnown(Device)) Add("device", $"device must be cpu, cuda or auto (got '{Device}').");
        if (!TryParseNormalization(Normalization, out _)) Add("normalization", $"normalization must be default or deel2021 (got '{Normalization}').");
        if (!ActivationName.TryParse(Activation, out var kind, out int groupSize))
        {
            Add("activation", $"Unknown activation '{Activation}'; use groupsort2, groupsort<n>, fullsort or relu.");
        }
        else
        {
            var networkErrors = (this with { Activation = ActivationName.Format(kind, groupSize) }).NetworkSpecUnchecked().Validate();
            if (networkErrors.TryGetValue(nameof(LipschitzNetworkSpec.Hidden), out var hiddenError)) Add("hidden", hiddenError);
            if (!errors.ContainsKey("channels") && networkErrors.TryGetValue(nameof(LipschitzNetworkSpec.Channels), out var channelError)) Add("channels", channelError);
        }
        return errors;
    }

    /// <summary>The network this spec trains; throws <see cref="ArgumentException"/> when the spec is invalid.</summary>
    public LipschitzNetworkSpec ToNetworkSpec()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid training spec: " + string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return NetworkSpecUnchecked();
    }

    private LipschitzNetworkSpec NetworkSpecUnchecked()
    {
        ActivationName.TryParse(Activation, out var kind, out int groupSize);
        TryParseNormalization(Normalization, out var preset);
        bool binary = Classes is not { Count: > 2 };
        return new LipschitzNetworkSpec
        {
            InputSize = Data.MnistFile.PixelsPerImage,
            InputChannels = 1,
            InputHeight = Data.MnistFile.ImageSide,
            InputWidth = Data.MnistFile.ImageSide,
            Channels = IsKnown(Architecture, Conv) ? Channels ?? [] : [],
            Hidden = Hidden ?? [],
            Activation = kind,
            GroupSize = groupSize,
            HiddenBias = true,
            // One output: FrobeniusDense is exact and cheapest. Several: a jointly 1-Lipschitz head (√2 certificates).
            OutputLayer = binary ? OutputLayerKind.Frobenius : OutputLayerKind.Spectral,
            OutputBias = !binary,
            Outputs = binary ? 1 : Classes!.Count,
            Normalization = preset,
        };
    }

    private static string? ExplainClasses(IReadOnlyList<int>? classes)
    {
        if (classes is null || classes.Count < 2 || classes.Count > 10) return $"classes must list 2 to 10 distinct labels 0-9 (got {classes?.Count ?? 0}).";
        var seen = new HashSet<int>();
        foreach (int label in classes)
        {
            if (label is < 0 or > 9) return $"classes must be labels 0-9 (got {label}).";
            if (!seen.Add(label)) return $"classes lists {label} twice.";
        }
        return null;
    }

    public bool UsesTauCrossEntropy => IsKnown(Loss, TauCrossEntropyLoss);

    public bool IsFashionMnist => DatasetKinds.TryParse(Dataset, out var kind) && kind == DatasetKind.FashionMnist;

    private static bool IsKnown(string? value, params string[] names) =>
        names.Any(name => string.Equals(value?.Trim(), name, StringComparison.OrdinalIgnoreCase));

    private static bool TryParseNormalization(string? value, out NormalizationPreset preset)
    {
        preset = NormalizationPreset.Default;
        switch ((value ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "default":
                return true;
            case "deel2021":
                preset = NormalizationPreset.Deel2021;
                return true;
            default:
                return false;
        }
    }
}
