using System.Text;
using System.Text.Json;
using LipService.Training.Engine;

namespace LipService.Training.Checkpoints;

/// <summary>One file per run under a directory, replaced atomically (write to a temp file, then rename).</summary>
public sealed class FileCheckpointStore : ICheckpointStore
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "LSCK"u8.ToArray();

    private readonly string directory;

    public FileCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        this.directory = Path.GetFullPath(directory);
    }

    public TrainingCheckpoint? Load(string runId)
    {
        string path = PathFor(runId);
        if (!File.Exists(path)) return null;
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion)
            throw new InvalidDataException($"Checkpoint '{path}' is not a LipService checkpoint of format {FormatVersion}.");
        int epoch = reader.ReadInt32();
        byte[] model = reader.ReadBytes(reader.ReadInt32());
        byte[] optimizer = reader.ReadBytes(reader.ReadInt32());
        var history = JsonSerializer.Deserialize<List<EpochMetrics>>(reader.ReadString())
            ?? throw new InvalidDataException($"Checkpoint '{path}' has no metrics history.");
        return new TrainingCheckpoint(epoch, model, optimizer, history);
    }

    public void Save(string runId, TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Directory.CreateDirectory(directory);
        string path = PathFor(runId);
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(checkpoint.Epoch);
                writer.Write(checkpoint.ModelState.Length);
                writer.Write(checkpoint.ModelState);
                writer.Write(checkpoint.OptimizerState.Length);
                writer.Write(checkpoint.OptimizerState);
                writer.Write(JsonSerializer.Serialize(checkpoint.History));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string PathFor(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        foreach (char c in runId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new ArgumentException($"Run id '{runId}' may only hold letters, digits, '-' and '_'.", nameof(runId));
        }
        return Path.Combine(directory, runId + ".ckpt");
    }
}
