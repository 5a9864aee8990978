using Microsoft.Extensions.Options;

namespace LipService.Api.Serving;

/// <summary>
/// Admission and turns for POST /attack: <see cref="AttackOptions.MaxConcurrent"/> attacks are computed at
/// once and <see cref="AttackOptions.MaxQueued"/> more wait; a request beyond both is refused at once.
/// </summary>
/// <remarks>
/// An attack is up to a thousand synchronous forward and backward passes (up to Attack:TimeLimit).
/// Run on thread-pool threads, twenty of them took every pool thread on a two-core machine and /predict
/// waited for the pool to grow (1.8 s for the first answer). So waiting is an async wait that holds no
/// thread, and the work runs on a thread of its own, at a lower OS priority (<see cref="AttackThreads"/>),
/// leaving the pool to Kestrel and /predict.
/// </remarks>
public sealed class AttackQueue
{
    private readonly SemaphoreSlim turns;
    private readonly int places;
    private readonly int threadNice;
    private int admitted;
    private int running;

    public AttackQueue(IOptions<AttackOptions> options)
    {
        var o = options.Value;
        MaxConcurrent = o.MaxConcurrent;
        MaxQueued = o.MaxQueued;
        places = o.MaxConcurrent + o.MaxQueued;
        threadNice = o.ThreadNice;
        turns = new SemaphoreSlim(o.MaxConcurrent, o.MaxConcurrent);
    }

    public int MaxConcurrent { get; }

    public int MaxQueued { get; }

    /// <summary>Attacks being computed now.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>Attacks admitted and not yet computing.</summary>
    public int Waiting => Math.Max(0, Volatile.Read(ref admitted) - Running);

    /// <summary>A place in the queue, or null when every place is taken; dispose it to give the place back.</summary>
    public Ticket? TryEnter()
    {
        while (true)
        {
            int now = Volatile.Read(ref admitted);
            if (now >= places) return null;
            if (Interlocked.CompareExchange(ref admitted, now + 1, now) == now) return new Ticket(this);
        }
    }

    /// <summary>A place in the queue, held from admission until disposed.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly AttackQueue queue;
        private int disposed;

        internal Ticket(AttackQueue queue) => this.queue = queue;

        /// <summary>
        /// Waits for a turn without holding a thread (cancelled with <paramref name="cancellationToken"/>, e.g. when the
        /// client goes away), then runs <paramref name="work"/> on a thread of its own and answers its result.
        /// </summary>
        public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(work);
            await queue.turns.WaitAsync(cancellationToken);
            Interlocked.Increment(ref queue.running);
            try
            {
                return await AttackThreads.RunAsync(work, queue.threadNice);
            }
            finally
            {
                Interlocked.Decrement(ref queue.running);
                queue.turns.Release();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) Interlocked.Decrement(ref queue.admitted);
        }
    }
}
