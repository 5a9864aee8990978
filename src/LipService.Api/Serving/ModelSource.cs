namespace LipService.Api.Serving;

/// <summary>
/// How the model that answered was chosen, sent on /predict answers in <see cref="HeaderName"/>:
/// <c>id</c> (named by id), <c>alias:NAME</c> (named by alias, or the default alias when no model was
/// named) or <c>newest</c> (no model named and no default alias set).
/// </summary>
public readonly record struct ModelSource(string HeaderValue)
{
    public const string HeaderName = "LipService-Model-Source";

    public static ModelSource Id { get; } = new("id");

    public static ModelSource Newest { get; } = new("newest");

    public static ModelSource Alias(string name) => new($"alias:{name}");
}
