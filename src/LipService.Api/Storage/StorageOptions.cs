namespace LipService.Api.Storage;

/// <summary>
/// Where data lives: the provider (configuration key "Storage:Provider"), the data folder
/// ("Data:Directory") and the PostgreSQL connection string ("ConnectionStrings:Postgres").
/// </summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file, and the default MNIST folder, live here.</summary>
    public string Directory { get; set; } = "./data";

    public string? PostgresConnectionString { get; set; }

    public string DatabasePath => Path.Combine(Path.GetFullPath(Directory), "lipservice.db");

    /// <summary>Reads the three keys; the host registers the result (this is the one place that reads them).</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new StorageOptions
        {
            Provider = configuration.GetValue("Storage:Provider", StorageProvider.Sqlite),
            PostgresConnectionString = configuration.GetConnectionString("Postgres"),
        };
        configuration.GetSection("Data").Bind(options);
        return options;
    }
}
