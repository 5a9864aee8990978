using System.Data;
using Dapper;
using LipService.Api.Datasets;
using LipService.Training.Data;

namespace LipService.Api.Storage;

/// <summary>Uploaded datasets.</summary>
public sealed partial class SqlJobStore
{
    private const string DatasetColumns = "id, name, format, created_at, upload_bytes, channels, height, width, train_count, validation_count, stored_bytes, classes, thumbnails";

    public async Task<bool> BeginDatasetAsync(string id, string name, string format, long uploadBytes, CancellationToken cancellationToken = default)
    {
        long now = Now;
        await using var c = await connections.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO datasets (id, status, name, format, created_at, updated_at, upload_bytes) VALUES (@id, 'uploading', @name, @format, @now, @now, @uploadBytes)
            ON CONFLICT (id) DO NOTHING
            """,
            new { id, name, format, now, uploadBytes }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task AddDatasetChunkAsync(string id, int split, int seq, int samples, ArraySegment<byte> data, CancellationToken cancellationToken = default)
    {
        if (data.Offset != 0 || data.Array is null) throw new ArgumentException("A chunk is a segment at the start of its buffer.", nameof(data));
        var parameters = new DynamicParameters(new { id, split = (long)split, seq = (long)seq, samples = (long)samples });
        // The parameter's size binds only the segment (Microsoft.Data.Sqlite and Npgsql both honour it), so the reused buffer goes as it is.
        parameters.Add("data", data.Array, DbType.Binary, size: data.Count);
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var transaction = await c.BeginTransactionAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dataset_chunks (dataset_id, split, seq, samples, data) VALUES (@id, @split, @seq, @samples, @data)",
            parameters, transaction, cancellationToken: cancellationToken));
        // The heartbeat that tells a live upload from one whose process died.
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE datasets SET updated_at = @now WHERE id = @id", new { id, now = Now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CompleteDatasetAsync(DatasetRecord dataset, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE datasets SET status = 'ready', updated_at = @now, channels = @channels, height = @height, width = @width,
                train_count = @TrainCount, validation_count = @ValidationCount, stored_bytes = @StoredBytes, classes = @classes, thumbnails = @thumbnails
            WHERE id = @Id AND status = 'uploading'
            """,
            new
            {
                dataset.Id, now = Now, channels = (long)dataset.Shape.Channels, height = (long)dataset.Shape.Height, width = (long)dataset.Shape.Width,
                TrainCount = (long)dataset.TrainCount, ValidationCount = (long)dataset.ValidationCount, dataset.StoredBytes,
                classes = StoredJson.DatasetClasses(dataset.Classes), thumbnails = StoredJson.Thumbnails(dataset.Thumbnails),
            },
            cancellationToken: cancellationToken));
    }

    public async Task DiscardDatasetUploadAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var transaction = await c.BeginTransactionAsync(cancellationToken);
        int discarded = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM datasets WHERE id = @id AND status = 'uploading'", new { id }, transaction, cancellationToken: cancellationToken));
        if (discarded == 1)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM dataset_chunks WHERE dataset_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> DiscardStaleDatasetUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var stale = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM datasets WHERE status = 'uploading' AND updated_at < @before",
            new { before = before.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken))).ToList();
        foreach (string id in stale) await DiscardDatasetUploadAsync(id, cancellationToken);
        return stale.Count;
    }

    public async Task<DatasetRecord?> GetDatasetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<DatasetRow>(new CommandDefinition(
            $"SELECT {DatasetColumns} FROM datasets WHERE id = @id AND status = 'ready'", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToRecord(row);
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<DatasetRow>(new CommandDefinition(
            $"SELECT {DatasetColumns} FROM datasets WHERE status = 'ready' ORDER BY created_at DESC, id", cancellationToken: cancellationToken));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<IReadOnlyList<(int Samples, byte[] Data)>> ReadDatasetChunksAsync(string id, int split, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<DatasetChunkRow>(new CommandDefinition(
            "SELECT samples, data FROM dataset_chunks WHERE dataset_id = @id AND split = @split ORDER BY seq",
            new { id, split = (long)split }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => ((int)r.Samples, r.Data))];
    }

    public async Task<DatasetDeletion> DeleteDatasetAsync(string id, CancellationToken cancellationToken = default)
    {
        // Stored specs are written compactly by StoredJson, so a job naming the dataset holds exactly this text.
        string specPattern = $"%\"dataset\":\"{id}\"%";
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var transaction = await c.BeginTransactionAsync(cancellationToken);
        int deleted = await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM datasets WHERE id = @id AND status = 'ready'
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running') AND spec LIKE @specPattern)
            """,
            new { id, specPattern }, transaction, cancellationToken: cancellationToken));
        if (deleted == 0)
        {
            bool exists = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM datasets WHERE id = @id AND status = 'ready'", new { id }, transaction, cancellationToken: cancellationToken)) > 0;
            return exists ? DatasetDeletion.InUse : DatasetDeletion.NotFound;
        }
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dataset_chunks WHERE dataset_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return DatasetDeletion.Deleted;
    }

    private static DatasetRecord ToRecord(DatasetRow r) => new(
        r.Id, r.Name, r.Format, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
        new ImageShape((int)r.Channels, (int)r.Height, (int)r.Width), StoredJson.DatasetClasses(r.Classes),
        (int)r.TrainCount, (int)r.ValidationCount, r.UploadBytes, r.StoredBytes, StoredJson.Thumbnails(r.Thumbnails));
}
