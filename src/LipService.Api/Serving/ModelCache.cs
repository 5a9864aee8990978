using LipService.Api.Storage;
using Microsoft.Extensions.Options;

namespace LipService.Api.Serving;

/// <summary>
/// Loaded models by id, least recently used evicted beyond <see cref="ServingOptions.ModelCacheSize"/>.
/// Evicted models are disposed once no request holds them (reference counted leases).
/// </summary>
public sealed class ModelCache(IJobCatalog store, IOptions<ServingOptions> options) : IDisposable
{
    private readonly Lock gate = new();
    private readonly LinkedList<Entry> order = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = [];
    private readonly SemaphoreSlim loading = new(1, 1);
    private (string? Id, long At) newest;

    /// <summary>The model with <paramref name="modelId"/>, or the newest model when null; null when there is none.</summary>
    public async Task<ModelLease?> AcquireAsync(string? modelId, CancellationToken cancellationToken)
    {
        string? id = modelId ?? await NewestIdAsync(cancellationToken);
        if (id is null) return null;
        if (TryLease(id) is { } hit) return hit;

        await loading.WaitAsync(cancellationToken);
        try
        {
            if (TryLease(id) is { } loaded) return loaded;
            var record = await store.GetModelAsync(id, cancellationToken);
            var weights = record is null ? null : await store.GetModelWeightsAsync(id, cancellationToken);
            if (record is null || weights is null) return null;
            var entry = new Entry(new LoadedModel(record, weights, options.Value.ManagedBatchLimit));
            lock (gate)
            {
                entries[id] = order.AddFirst(entry);
                while (entries.Count > Math.Max(1, options.Value.ModelCacheSize)) Evict(order.Last!);
                return entry.Lease();
            }
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>The newest model id, re-read at most once a second: new models appear within that.</summary>
    private async Task<string?> NewestIdAsync(CancellationToken cancellationToken)
    {
        var (id, at) = newest;
        long now = Environment.TickCount64;
        if (id is not null && now - at < 1000) return id;
        var model = await store.GetNewestModelAsync(cancellationToken);
        newest = (model?.Id, now);
        return model?.Id;
    }

    private ModelLease? TryLease(string id)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(id, out var node)) return null;
            order.Remove(node);
            order.AddFirst(node);
            return node.Value.Lease();
        }
    }

    private void Evict(LinkedListNode<Entry> node)
    {
        order.Remove(node);
        entries.Remove(node.Value.Model.Record.Id);
        node.Value.Release();
    }

    public void Dispose()
    {
        lock (gate)
        {
            while (order.Last is { } last) Evict(last);
        }
    }

    /// <summary>A cached model with a count of holders; the cache itself is one holder until eviction.</summary>
    internal sealed class Entry(LoadedModel model)
    {
        private int holders = 1;

        public LoadedModel Model { get; } = model;

        public ModelLease Lease()
        {
            Interlocked.Increment(ref holders);
            return new ModelLease(this);
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref holders) == 0) Model.Dispose();
        }
    }
}
