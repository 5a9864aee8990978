using System.IO.Compression;
using System.Text;

namespace LipService.Api.Tests.Datasets;

/// <summary>A temporary folder for upload files built in code, removed with everything in it on dispose.</summary>
internal sealed class DatasetFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lipservice-datasets-").FullName;

    public string PathOf(string name) => Path.Combine(_folder, name);

    public string Write(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>A zip file holding <paramref name="entries"/> in order; a null body makes a folder entry.</summary>
    public string Zip(string name, IEnumerable<(string Name, byte[]? Body)> entries, CompressionLevel level = CompressionLevel.Optimal)
        => Write(name, ZipBytes(entries, level));

    /// <summary>The bytes of a zip holding <paramref name="entries"/> in order, for an upload; a null body makes a folder entry.</summary>
    public static byte[] ZipBytes(IEnumerable<(string Name, byte[]? Body)> entries, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var packed = new MemoryStream();
        using (var archive = new ZipArchive(packed, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, body) in entries)
            {
                ZipArchiveEntry entry = archive.CreateEntry(entryName, level);
                if (body is null) continue;
                using Stream stream = entry.Open();
                stream.Write(body);
            }
        }
        return packed.ToArray();
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return packed.ToArray();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
