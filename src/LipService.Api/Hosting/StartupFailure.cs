using System.Net.Sockets;
using LipService.Api.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LipService.Api.Hosting;

/// <summary>
/// One line for an exception that stopped the service, naming the key, path or port to fix. A stack
/// trace tells the operator nothing they can act on for these: the exceptions named here are the
/// ones a configuration causes. Anything else is a bug, and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    public static string Describe(Exception exception) => DescribeSetting(exception) ?? exception.ToString();

    private static string? DescribeSetting(Exception exception)
    {
        var chain = ExceptionChain.Of(exception).ToList();
        if (chain.OfType<StartupException>().FirstOrDefault() is { } startup) return startup.Message;
        if (chain.OfType<StoreVersionException>().FirstOrDefault() is { } store) return store.Message;
        if (chain.OfType<StoreOpenException>().FirstOrDefault() is { } open) return open.Message;
        if (chain.OfType<OptionsValidationException>().FirstOrDefault() is { } invalid)
            return $"invalid configuration: {string.Join(" ", invalid.Failures)}";
        if (chain.Any(e => e is AddressInUseException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }))
        {
            string bind = chain.OfType<IOException>().FirstOrDefault()?.Message ?? exception.Message;
            return $"{bind.TrimEnd('.')} (urls / --urls). Is another instance running? Stop it or choose another port.";
        }
        if (chain.OfType<NpgsqlException>().FirstOrDefault() is { } postgres)
            return $"cannot use PostgreSQL (Storage:Provider=postgres, ConnectionStrings:Postgres): {Innermost(postgres).TrimEnd('.')}.";
        if (chain.OfType<InvalidOperationException>().FirstOrDefault(e => e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)) is { } binding)
            return $"invalid configuration: {binding.Message}";
        return null;
    }

    private static string Innermost(Exception exception)
    {
        // Npgsql says "Failed to connect to 127.0.0.1:5999" and its inner exception why.
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException) messages.Add(e.Message.TrimEnd('.'));
        return string.Join(": ", messages.Distinct());
    }
}
