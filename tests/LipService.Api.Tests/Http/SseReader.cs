using System.Net.Http.Headers;

namespace LipService.Api.Tests.Http;

internal sealed record SseEvent(string Event, string? Id, string Data);

/// <summary>A minimal Server-Sent Events client for the tests.</summary>
internal static class SseReader
{
    public static async Task<List<SseEvent>> ReadAllAsync(HttpClient client, string url, string? lastEventId)
    {
        var events = new List<SseEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ReadAsync(client, url, lastEventId, events.Add, timeout.Token);
        return events;
    }

    /// <summary>Reads until the server closes the stream.</summary>
    public static async Task ReadAsync(HttpClient client, string url, string? lastEventId, Action<SseEvent> onEvent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream") throw new InvalidOperationException("Not an event stream.");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? name = null, id = null, data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null) onEvent(new SseEvent(name, id, data ?? ""));
                name = id = data = null;
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
        }
    }
}
