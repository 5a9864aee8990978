using LipService.Api.Tests.EndToEnd;
using Microsoft.Data.Sqlite;

namespace LipService.Api.Tests.Datasets;

/// <summary>
/// The real executable on 127.0.0.1 with an upload limit small enough to cross cheaply, and what the
/// dataset tests check after every refused upload: the upload folder and the store's dataset rows.
/// </summary>
public sealed class DatasetServiceFixture : IAsyncLifetime
{
    /// <summary>Datasets:MaxUploadBytes of this service.</summary>
    public const long MaxUploadBytes = 3_000_000;

    /// <summary>Datasets:MaxImages of this service: above every dataset the tests store, below what they cross it with.</summary>
    public const int MaxImages = 40;

    private readonly TempFolder folder = new("lipservice-datasets-");
    private ServiceProcess? service;

    internal ServiceProcess Service => service ?? throw new InvalidOperationException("The service has not started.");

    public HttpClient Client => Service.Client;

    public int Port => Service.Port;

    public string Log => Service.Log;

    public string UploadFolder => Path.Combine(folder.Path, "uploads");

    public async Task InitializeAsync() =>
        service = await ServiceProcess.StartAsync(folder.Path, "--Datasets:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Datasets:MaxImages", MaxImages.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Rows in the dataset tables and part files waiting in the upload folder: what a refused upload must not change.</summary>
    public (long Datasets, long Chunks, int Parts) Kept()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "lipservice.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Count(string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)command.ExecuteScalar()!;
        }
        int parts = Directory.Exists(UploadFolder) ? Directory.GetFiles(UploadFolder).Length : 0;
        return (Count("datasets"), Count("dataset_chunks"), parts);
    }

    public Task DisposeAsync()
    {
        service?.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DatasetServiceCollection : ICollectionFixture<DatasetServiceFixture>
{
    public const string Name = "dataset service";
}
