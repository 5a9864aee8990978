using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LipService.Training.Tests.Data;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving a fixed set of files under /mnist/, so downloads go
/// through sockets, HTTP framing and HttpClient exactly as they would against a real mirror.
/// Unknown names get 404; names in <c>stall</c> never get an answer.
/// </summary>
public sealed class LoopbackMirror : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly IReadOnlyDictionary<string, byte[]> _files;
    private readonly IReadOnlySet<string> _stall;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public LoopbackMirror(IReadOnlyDictionary<string, byte[]> files, IReadOnlySet<string>? stall = null)
    {
        _files = files;
        _stall = stall ?? new HashSet<string>();
        (_listener, BaseUrl) = StartListener();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Mirror base URL, ending in a slash, as configured in MnistOptions.Mirrors.</summary>
    public string BaseUrl { get; }

    /// <summary>File names requested so far, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Closing the listener is how the serving loop is stopped.
        }

        _stop.Dispose();
    }

    private static (HttpListener Listener, string BaseUrl) StartListener()
    {
        // The free port found here may be taken before HttpListener binds it; retry on that race.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, $"http://127.0.0.1:{port}/mnist/");
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var name = context.Request.Url!.AbsolutePath.Split('/')[^1];
        Requests.Enqueue(name);
        try
        {
            if (_stall.Contains(name))
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            if (!context.Request.Url.AbsolutePath.StartsWith("/mnist/", StringComparison.Ordinal)
                || !_files.TryGetValue(name, out var body))
            {
                context.Response.StatusCode = 404;
                context.Response.Close();
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, _stop.Token);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client went away or the server is shutting down; nothing to answer.
            context.Response.Abort();
        }
    }
}
