using System.Net.Sockets;
using System.Text;

namespace LipService.Api.Tests.Http;

/// <summary>
/// HTTP/1.1 written byte by byte over a socket to 127.0.0.1: for requests HttpClient refuses to send
/// (a Content-Length the body does not match, odd header values) and to see exactly what came back.
/// </summary>
internal static class RawHttp
{
    /// <summary>An answer as read off the wire; <see cref="Status"/> is 0 when the server closed without one.</summary>
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);

        public string? ContentType => Headers.GetValueOrDefault("content-type");

        public override string ToString() => Status == 0 ? "(closed without an answer)" : $"{Status} {ContentType}: {(Text.Length > 300 ? Text[..300] + "…" : Text)}";
    }

    /// <summary>
    /// Sends the head (request line and headers, "Connection: close" added) and <paramref name="body"/>
    /// as given, then reads the answer until the server closes. With <paramref name="endInput"/> the
    /// socket's sending side is shut after the body, so a server waiting for bytes a header promised sees the body end.
    /// </summary>
    public static async Task<Answer> SendAsync(int port, string method, string path, IEnumerable<(string Name, string Value)> headers, byte[] body, bool endInput = false, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, cancel.Token);
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        try
        {
            await socket.SendAsync(Encoding.Latin1.GetBytes(head.ToString()), SocketFlags.None, cancel.Token);
            if (body.Length > 0) await socket.SendAsync(body, SocketFlags.None, cancel.Token);
            if (endInput) socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server may answer (e.g. 413) and close before it has read everything: read what it said.
        }
        var received = new MemoryStream();
        var chunk = new byte[16384];
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(chunk, SocketFlags.None, cancel.Token);
                if (n == 0) break;
                received.Write(chunk, 0, n);
            }
        }
        catch (SocketException)
        {
            // A reset after the answer: keep what arrived.
        }
        return Parse(received.ToArray());
    }

    public static Answer Parse(byte[] raw)
    {
        int end = IndexOf(raw, "\r\n\r\n"u8, 0);
        if (end < 0) return new Answer(0, new Dictionary<string, string>(), raw);
        string[] lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var rest = raw.AsSpan(end + 4);
        byte[] body = headers.TryGetValue("transfer-encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? Dechunk(rest)
            : headers.TryGetValue("content-length", out string? length) ? rest[..Math.Min(rest.Length, int.Parse(length))].ToArray() : rest.ToArray();
        return new Answer(status, headers, body);
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> data)
    {
        var body = new MemoryStream();
        int at = 0;
        while (at < data.Length)
        {
            int lineEnd = IndexOf(data, "\r\n"u8, at);
            if (lineEnd < 0) break;
            int size = Convert.ToInt32(Encoding.Latin1.GetString(data[at..lineEnd]).Split(';')[0].Trim(), 16);
            if (size == 0) break;
            int start = lineEnd + 2;
            body.Write(data.Slice(start, Math.Min(size, data.Length - start)));
            at = start + size + 2;
        }
        return body.ToArray();
    }

    private static int IndexOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> what, int from)
    {
        int i = data[from..].IndexOf(what);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>A body in HTTP/1.1 chunks of at most <paramref name="chunkSize"/> bytes, with the last (empty) chunk.</summary>
    public static byte[] Chunked(ReadOnlySpan<byte> body, int chunkSize = 1000)
    {
        var output = new MemoryStream();
        for (int at = 0; at < body.Length; at += chunkSize)
        {
            var part = body.Slice(at, Math.Min(chunkSize, body.Length - at));
            output.Write(Encoding.ASCII.GetBytes($"{part.Length:x}\r\n"));
            output.Write(part);
            output.Write("\r\n"u8);
        }
        output.Write("0\r\n\r\n"u8);
        return output.ToArray();
    }
}
