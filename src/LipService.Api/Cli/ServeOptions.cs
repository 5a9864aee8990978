using System.CommandLine;
using System.Globalization;
using LipService.Api.Hosting;
using LipService.Api.Storage;

namespace LipService.Api.Cli;

/// <summary>
/// The command line of <c>serve</c>. Its grammar is the configuration's: any key as
/// <c>--Key value</c> or <c>--Section:Key=value</c>, which no parser can list in advance. So the
/// keys people use most are declared (they show in <c>--help</c> and their values are type-checked
/// here, exit 2), and every other token must still have the shape of a configuration key and value;
/// a bare word (a mistyped command) is refused instead of silently starting the service. The whole
/// line then goes, unchanged, to the configuration command-line provider of the web host.
/// </summary>
internal sealed class ServeOptions
{
    public Option<string> Urls { get; } = Key<string>("--urls", "Where to listen, e.g. http://localhost:5000 (';' between several).", "URLS", Text, "addresses");

    public Option<ServiceRole> Role { get; } = Key<ServiceRole>("--Role", "all (HTTP + jobs), api (HTTP only) or worker (jobs only).", "all|api|worker", EnumValue, "all, api or worker");

    public Option<string> DataDirectory { get; } = Key<string>("--Data:Directory", "SQLite file and default MNIST folder (default ./data), relative to the current folder.", "DIR", Text, "a folder");

    public Option<string> MnistDirectory { get; } = Key<string>("--Mnist:Directory", "Folder of the four MNIST files (default <Data:Directory>/mnist), relative to the current folder.", "DIR", Text, "a folder");

    public Option<bool> MnistDownload { get; } = Key<bool>("--Mnist:Download", "Download missing MNIST files (default true).", "true|false", bool.TryParse, "true or false");

    public Option<StorageProvider> StorageProvider { get; } = Key<StorageProvider>("--Storage:Provider", "sqlite (embedded, default) or postgres (scale-out).", "sqlite|postgres", EnumValue, "sqlite or postgres");

    public Option<string> Postgres { get; } = Key<string>("--ConnectionStrings:Postgres", "Npgsql connection string, with --Storage:Provider postgres.", "CONNECTION", Text, "a connection string");

    public IEnumerable<Option> All => [Urls, Role, DataDirectory, MnistDirectory, MnistDownload, StorageProvider, Postgres];

    public const string PassthroughHelp = "Any other configuration key (see README, Configuration) may be given as --Key value or --Section:Key=value.";

    /// <summary>The declared options that were given, as --Key=value: then a value can never be read as a key.</summary>
    public IEnumerable<string> GivenAsConfiguration(ParseResult parsed)
    {
        string? Given<T>(Option<T> option) => parsed.GetResult(option) is { Implicit: false }
            ? $"{option.Name}={Convert.ToString(parsed.GetValue(option), CultureInfo.InvariantCulture)}"
            : null;
        string?[] given = [Given(Urls), Given(Role), Given(DataDirectory), Given(MnistDirectory), Given(MnistDownload), Given(StorageProvider), Given(Postgres)];
        return given.OfType<string>();
    }

    private delegate bool TryParse<T>(string text, out T value);

    /// <summary>A declared key: type-checked, and as in the configuration, when given twice the last value wins.</summary>
    private static Option<T> Key<T>(string name, string description, string helpName, TryParse<T> tryParse, string expected) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (tryParse(text, out var value)) return value;
            result.AddError($"Cannot parse '{text}' for option '{name}': expected {expected}.");
            return default!;
        },
    };

    private static bool Text(string text, out string value)
    {
        value = text;
        return true;
    }

    private static bool EnumValue<T>(string text, out T value) where T : struct, Enum
        => Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);

    /// <summary>The first token that is neither a key nor the value after one, or null when all are.</summary>
    /// <remarks>The configuration provider reads <c>--Key value</c> and <c>--Key=value</c>; anything else it drops silently.</remarks>
    public static string? FirstStrayToken(IReadOnlyList<string> unmatched)
    {
        for (int i = 0; i < unmatched.Count; i++)
        {
            string token = unmatched[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2 || token[2] is '=' or ':') return token;
            if (token.Contains('=', StringComparison.Ordinal)) continue;
            if (i + 1 >= unmatched.Count) return token;
            i++; // its value
        }
        return null;
    }
}
