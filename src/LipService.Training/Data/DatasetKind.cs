using System.Text.Json.Serialization;

namespace LipService.Training.Data;

/// <summary>The datasets a model can be trained on; both are in MNIST's layout (<see cref="MnistDataset"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetKind>))]
public enum DatasetKind
{
    /// <summary>Handwritten digits, loaded by <see cref="MnistLoader"/>.</summary>
    [JsonStringEnumMemberName(DatasetKinds.MnistName)]
    Mnist,

    /// <summary>Zalando's clothing images, loaded by <see cref="FashionMnistLoader"/>.</summary>
    [JsonStringEnumMemberName(DatasetKinds.FashionMnistName)]
    FashionMnist,
}

/// <summary>The names a spec uses for <see cref="DatasetKind"/>, the same ones its JSON form uses.</summary>
public static class DatasetKinds
{
    public const string MnistName = "mnist";
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>Every accepted name, for listing in validation messages.</summary>
    public static IReadOnlyList<string> Names { get; } = [MnistName, FashionMnistName];

    /// <summary>
    /// Reads a dataset name, ignoring case and surrounding white space. Only the names above count:
    /// numbers and C# member names ("FashionMnist") are refused, so a spec has one spelling per dataset.
    /// </summary>
    public static bool TryParse(string? value, out DatasetKind kind)
    {
        kind = DatasetKind.Mnist;
        switch ((value ?? string.Empty).Trim().ToLowerInvariant())
        {
            case MnistName:
                return true;
            case FashionMnistName:
                kind = DatasetKind.FashionMnist;
                return true;
            default:
                return false;
        }
    }

    // Zalando's names for Fashion-MNIST's labels (github.com/zalandoresearch/fashion-mnist).
    private static readonly string[] FashionItems = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>What <paramref name="label"/> (0-9) stands for: a digit's text, or a clothing item's name.</summary>
    public static string ClassName(DatasetKind kind, int label) => kind == DatasetKind.FashionMnist && label >= 0 && label < FashionItems.Length
        ? FashionItems[label]
        : label.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name <see cref="TryParse"/> reads and JSON writes.</summary>
    public static string ToName(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => MnistName,
        DatasetKind.FashionMnist => FashionMnistName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dataset."),
    };
}
