namespace LipService.Api.Endpoints;

/// <summary>A client's text quoted back in an error message.</summary>
internal static class ClientText
{
    /// <summary>
    /// Enough of <paramref name="text"/> to recognize, never the whole of it: a hostile id or value
    /// could be megabytes, and every error that quotes one would echo it back.
    /// </summary>
    public static string Short(string text, int maxLength = 64) => text.Length <= maxLength ? text : text[..maxLength] + "…";
}
