using System.Collections.Concurrent;
using LipService.Api.Storage;
using Microsoft.Extensions.Options;

namespace LipService.Api.Serving;

/// <summary>
/// Loaded models by id, least recently used evicted beyond <see cref="ServingOptions.ModelCacheSize"/>.
/// Evicted models are disposed once no request holds them (reference counted leases). Aliases and
/// the newest model are resolved to ids here, each re-read at most once a second.
/// </summary>
public sealed class ModelCache(IModelCatalog store, IAliasCatalog aliasCatalog, IOptions<ServingOptions> options) : IDisposable
{
    private readonly Lock gate = new();
    private readonly LinkedList<Entry> order = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = [];
    private readonly SemaphoreSlim loading = new(1, 1);
    private readonly ConcurrentDictionary<string, (string? Id, long At)> aliases = [];
    private (string? Id, long At) newest;

    /// <summary>
    /// The model with the id or alias <paramref name="modelId"/>; when null, the model of the default
    /// alias (<see cref="ServingOptions.DefaultAlias"/>), or the newest model while that is not set.
    /// Null when there is none.
    /// </summary>
    public async Task<ModelLease?> AcquireAsync(string? modelId, CancellationToken cancellationToken)
    {
        var (id, source) = await ResolveAsync(modelId, cancellationToken);
        if (id is null) return null;
        if (TryLease(id, source) is { } hit) return hit;

        await loading.WaitAsync(cancellationToken);
        try
        {
            if (TryLease(id, source) is { } loaded) return loaded;
            var record = await store.GetModelAsync(id, cancellationToken);
            var weights = record is null ? null : await store.GetModelWeightsAsync(id, cancellationToken);
            if (record is null || weights is null) return null;
            var entry = new Entry(new LoadedModel(record, weights, options.Value.ManagedBatchLimit));
            lock (gate)
            {
                entries[id] = order.AddFirst(entry);
                while (entries.Count > Math.Max(1, options.Value.ModelCacheSize)) Evict(order.Last!);
                return entry.Lease(source);
            }
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>
    /// Loads the model a request without modelId would get, unless it is <paramref name="alreadyPreloaded"/>
    /// (then the cache is not touched: a model loaded once is not pushed back to the front every second).
    /// </summary>
    /// <param name="reread">Read the newest model and the default alias from the store now, not up to a second later.</param>
    /// <returns>That model's id (null when there is none) and, when this call loaded it, a lease on it (the caller disposes it).</returns>
    public async Task<(string? Id, ModelLease? Loaded)> PreloadDefaultAsync(string? alreadyPreloaded, bool reread, CancellationToken cancellationToken)
    {
        if (reread)
        {
            newest = default;
            aliases.TryRemove(options.Value.DefaultAlias, out _);
        }
        var (id, _) = await ResolveAsync(null, cancellationToken);
        if (id is null || id == alreadyPreloaded || IsLoaded(id)) return (id, null);
        return (id, await AcquireAsync(id, cancellationToken));
    }

    private async Task<(string? Id, ModelSource Source)> ResolveAsync(string? requested, CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            string defaultAlias = options.Value.DefaultAlias;
            return await AliasIdAsync(defaultAlias, cancellationToken) is { } chosen
                ? (chosen, ModelSource.Alias(defaultAlias))
                : (await NewestIdAsync(cancellationToken), ModelSource.Newest);
        }
        // Ids first: a loaded model's id, or anything an alias cannot be called (every id is 32 hex digits).
        if (IsLoaded(requested) || !AliasNames.IsValid(requested)) return (requested, ModelSource.Id);
        return await AliasIdAsync(requested, cancellationToken) is { } aliased
            ? (aliased, ModelSource.Alias(requested))
            : (requested, ModelSource.Id);
    }

    /// <summary>The model an alias names, re-read at most once a second: a moved or deleted alias takes effect within that.</summary>
    private async Task<string?> AliasIdAsync(string alias, CancellationToken cancellationToken)
    {
        long now = Environment.TickCount64;
        if (aliases.TryGetValue(alias, out var known) && now - known.At < 1000) return known.Id;
        var found = await aliasCatalog.GetAliasAsync(alias, cancellationToken);
        // Names that are not aliases are not remembered (any client could fill the table with them),
        // except the default alias: every request without a model asks for it, set or not.
        if (found is not null || alias == options.Value.DefaultAlias) aliases[alias] = (found?.ModelId, now);
        else aliases.TryRemove(alias, out _);
        return found?.ModelId;
    }

    internal bool IsLoaded(string id)
    {
        lock (gate) return entries.ContainsKey(id);
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

    private ModelLease? TryLease(string id, ModelSource source)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(id, out var node)) return null;
            order.Remove(node);
            order.AddFirst(node);
            return node.Value.Lease(source);
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

        public ModelLease Lease(ModelSource source)
        {
            Interlocked.Increment(ref holders);
            return new ModelLease(this, source);
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref holders) == 0) Model.Dispose();
        }
    }
}
