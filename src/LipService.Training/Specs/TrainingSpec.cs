using LipService.Models.Activations;
using LipService.Models.Networks;

namespace LipService.Training.Specs;

/// <summary>
/// Everything a training run needs besides data. Every default is the notebook's: MNIST 0 (+1) vs
/// 8 (−1), SpectralDense 32 → 16 with GroupSort2, FrobeniusDense(1) without bias, HKR(α = 10,
/// m = 1), Adam(1e-3), batch 128, 10 epochs.
/// </summary>
public sealed record TrainingSpec
{
    public const int MaxEpochs = 1000;
    public const int MaxBatchSize = 8192;

    public string Dataset { get; init; } = "mnist";

    public int PositiveClass { get; init; }

    public int NegativeClass { get; init; } = 8;

    public IReadOnlyList<int> Hidden { get; init; } = [32, 16];

    public string Activation { get; init; } = "groupsort2";

    public double Alpha { get; init; } = 10.0;

    public double MinMargin { get; init; } = 1.0;

    public double LearningRate { get; init; } = 1e-3;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 128;

    public int Seed { get; init; } = 42;

    /// <summary>cpu, cuda or auto (cuda when available).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>default (ε-stopped, deel-lip ≥ 1.4) or deel2021 (the notebook's fixed iteration counts).</summary>
    public string Normalization { get; init; } = "default";

    /// <summary>Every problem keyed by the camelCase field name; empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (!string.Equals(Dataset, "mnist", StringComparison.OrdinalIgnoreCase)) Add("dataset", $"Unknown dataset '{Dataset}'; supported: mnist.");
        if (PositiveClass is < 0 or > 9) Add("positiveClass", $"positiveClass must be a digit 0-9 (got {PositiveClass}).");
        if (NegativeClass is < 0 or > 9) Add("negativeClass", $"negativeClass must be a digit 0-9 (got {NegativeClass}).");
        else if (NegativeClass == PositiveClass) Add("negativeClass", "negativeClass must differ from positiveClass.");
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) Add("alpha", $"alpha must be a finite number ≥ 0 (got {Alpha}).");
        if (!(MinMargin > 0) || double.IsInfinity(MinMargin)) Add("minMargin", $"minMargin must be a finite number > 0 (got {MinMargin}).");
        if (!(LearningRate > 0 && LearningRate <= 1)) Add("learningRate", $"learningRate must be in (0, 1] (got {LearningRate}).");
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
        return new LipschitzNetworkSpec
        {
            InputSize = Data.MnistFile.PixelsPerImage,
            Hidden = Hidden ?? [],
            Activation = kind,
            GroupSize = groupSize,
            HiddenBias = true,
            OutputLayer = OutputLayerKind.Frobenius,
            OutputBias = false,
            Outputs = 1,
            Normalization = preset,
        };
    }

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
