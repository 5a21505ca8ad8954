namespace GreenTrain.Trainer.Energy.Boundaries;

/// <summary>
/// How late each slow source's reading came after its boundary, for the bench and the docs' bound on how far energy
/// can shift between neighbouring windows: to the start of the read, and to its end (the counter was sampled
/// somewhere in between). Keeps the latest <see cref="Capacity"/> boundaries. Thread-safe.
/// </summary>
public sealed class ReadLagLog
{
    public const int Capacity = 4096;
    private readonly ReadLag[] _ring = new ReadLag[Capacity];
    private readonly Lock _gate = new();
    private long _count;

    /// <summary>Readings recorded since the meter started (boundaries times slow sources).</summary>
    public long Count
    {
        get { lock (_gate) return _count; }
    }

    public void Add(ReadLag lag)
    {
        lock (_gate)
        {
            _ring[_count++ % Capacity] = lag;
        }
    }

    /// <summary>The latest lags, oldest first.</summary>
    public IReadOnlyList<ReadLag> Snapshot()
    {
        lock (_gate)
        {
            var n = (int)Math.Min(_count, Capacity);
            var start = _count - n;
            return Enumerable.Range(0, n).Select(i => _ring[(start + i) % Capacity]).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _count = 0;
        }
    }
}

/// <param name="Device">The slow source ("gpu:0").</param>
/// <param name="ToReadStart">From the boundary to the start of the read that served it.</param>
/// <param name="ToReadEnd">From the boundary to the end of that read: the most the reading can lag the boundary.</param>
/// <param name="Shared">True when the read served a newer boundary too (boundaries came faster than reads).</param>
public readonly record struct ReadLag(string Device, TimeSpan ToReadStart, TimeSpan ToReadEnd, bool Shared);
