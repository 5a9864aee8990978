namespace LipService.Api.Contracts;

/// <summary>Every alias, and which model answers /predict when no model is named.</summary>
/// <param name="Items">The aliases, by name.</param>
/// <param name="DefaultAlias">The alias whose model answers /predict when no model is named (setting `Serving:DefaultAlias`).</param>
/// <param name="DefaultModelId">The model that alias points at; null while it is not set.</param>
/// <param name="DefaultModelSource">`alias:NAME` when the default alias is set; `newest` while it is not: then /predict without a model answers with the newest succeeded model, which every new job or sweep changes.</param>
public sealed record AliasListResponse(IReadOnlyList<AliasResponse> Items, string DefaultAlias, string? DefaultModelId, string DefaultModelSource);
