using LipService.Api.Serving;

namespace LipService.Api.Hosting;

/// <summary>Registration of aliases and the default model.</summary>
public static class AliasServiceCollectionExtensions
{
    /// <summary>
    /// Checks <see cref="ServingOptions.DefaultAlias"/> at start: a name no alias can have would
    /// silently leave /predict on the newest model for good.
    /// </summary>
    public static WebApplicationBuilder AddModelAliases(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServingOptions>()
            .Validate(o => AliasNames.IsValid(o.DefaultAlias), $"Serving:DefaultAlias must be a valid alias: {AliasNames.Rule}.")
            .ValidateOnStart();
        return builder;
    }
}
