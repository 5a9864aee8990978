using System.Text.RegularExpressions;

namespace LipService.Api.Serving;

/// <summary>
/// What an alias may be called: lowercase, starting with a letter, at most 63 characters, and never
/// shaped like a model id (32 lowercase hex digits), so a name in <c>modelId</c> means one thing only.
/// </summary>
public static partial class AliasNames
{
    public const string Rule = "an alias is 1 to 63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'; and not 32 hex digits (the shape of a model id)";

    public static bool IsValid(string? name) => name is not null && Shape().IsMatch(name) && !ModelIdShape().IsMatch(name);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z][a-z0-9_-]{0,62}\z")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^[0-9a-f]{32}\z")]
    private static partial Regex ModelIdShape();
}
