namespace LipService.Api.Serving;

/// <summary>A request's hold on a cached model; dispose it when done.</summary>
public sealed class ModelLease : IDisposable
{
    private ModelCache.Entry? entry;

    internal ModelLease(ModelCache.Entry entry, ModelSource source)
    {
        this.entry = entry;
        Source = source;
    }

    /// <summary>How this model was chosen for the request.</summary>
    public ModelSource Source { get; }

    public LoadedModel Model => entry?.Model ?? throw new ObjectDisposedException(nameof(ModelLease));

    public void Dispose() => Interlocked.Exchange(ref entry, null)?.Release();
}
