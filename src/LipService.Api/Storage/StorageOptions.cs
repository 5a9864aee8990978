namespace LipService.Api.Storage;

/// <summary>Where data lives (configuration section "Data").</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Data";

    /// <summary>The SQLite file, and the default MNIST folder, live here.</summary>
    public string Directory { get; set; } = "./data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(Directory), "lipservice.db");
}
