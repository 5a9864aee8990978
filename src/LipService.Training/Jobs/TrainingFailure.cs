using System.Runtime.InteropServices;
using LipService.Training.Data;
using LipService.Training.Engine;

namespace LipService.Training.Jobs;

/// <summary>
/// The one sentence a failed job's <c>error</c> says: what went wrong, in words a user can act on.
/// The exception itself, with libtorch's native stack and this machine's paths, goes to the log.
/// </summary>
public static class TrainingFailure
{
    /// <summary>At most this many characters of a library's own message are quoted.</summary>
    public const int MaxQuoted = 200;

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            TrainingDivergedException or MnistUnavailableException or IdxFormatException => FirstLine(exception.Message),
            OutOfMemoryException => "Training ran out of memory; a smaller batchSize or fewer channels needs less.",
            ExternalException => $"Training failed inside libtorch: {Quote(exception.Message)}",
            _ => $"Training failed unexpectedly ({exception.GetType().Name}); the service log has the details under this job's id.",
        };
    }

    /// <summary>libtorch's message without its "Exception raised from …" trailer and native frames, cut to <see cref="MaxQuoted"/>.</summary>
    private static string Quote(string message)
    {
        int trailer = message.IndexOf("Exception raised from", StringComparison.Ordinal);
        string text = FirstLine(trailer >= 0 ? message[..trailer] : message);
        if (text.Length == 0) return "no message.";
        return text.Length <= MaxQuoted ? text : string.Concat(text.AsSpan(0, MaxQuoted - 1), "…");
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        return (end >= 0 ? text[..end] : text).Trim();
    }
}
