namespace LipService.Api.Storage;

/// <summary>A name that points at one model, e.g. <c>default</c>, the model /predict answers with when no model is named.</summary>
public sealed record ModelAlias(string Name, string ModelId, DateTimeOffset UpdatedAt);
