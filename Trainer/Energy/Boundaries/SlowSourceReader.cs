namespace GreenTrain.Trainer.Energy.Boundaries;

/// <summary>
/// Reads one slow source (a GPU's NVML counter: ~3 ms a call on an H200) on a dedicated thread, so the training
/// thread only marks "boundary N at t" and goes on. The thread sleeps on the meter's lock until a boundary newer
/// than the last one it took is requested, then reads at once. Requests never queue up: while a read runs, newer
/// boundaries only move <c>requested</c> forward, and the next read serves the newest of them (the ones skipped
/// share that reading). The thread and the meter share one lock, so a boundary's "taken" state cannot change
/// while the meter decides whether to merge it.
/// </summary>
internal sealed class SlowSourceReader
{
    private const int Attempts = 3;
    private readonly IEnergySource _source;
    private readonly object _gate;
    private readonly Func<long> _requested;
    private readonly Action<SlowSourceReader, ReadResult> _done;
    private readonly TimeProvider _time;
    private readonly Thread _thread;
    private bool _stopping;

    /// <param name="gate">The meter's lock; <paramref name="requested"/> is read and <see cref="Taken"/> changes only under it.</param>
    /// <param name="done">Called on this thread, without the lock held, after each read (or failed read).</param>
    public SlowSourceReader(IEnergySource source, int index, object gate, Func<long> requested, Action<SlowSourceReader, ReadResult> done, TimeProvider time)
    {
        _source = source;
        Index = index;
        _gate = gate;
        _requested = requested;
        _done = done;
        _time = time;
        // A background thread: a run that ends without disposing the meter is not kept alive by it.
        _thread = new Thread(Loop) { IsBackground = true, Name = $"energy reader {source.Device}" };
        _thread.Start();
    }

    /// <summary>The source's position in the meter's source list.</summary>
    public int Index { get; }

    /// <summary>The newest boundary this reader has started to read (-1: none). Changes only under the meter's lock.</summary>
    public long Taken { get; private set; } = -1;

    /// <summary>Reads what is still requested, then ends the thread. The caller must not hold the lock.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
    }

    private void Loop()
    {
        while (true)
        {
            long target;
            lock (_gate)
            {
                while (_requested() <= Taken && !_stopping)
                {
                    Monitor.Wait(_gate);
                }
                if (_requested() <= Taken)
                {
                    return; // stopping, and every requested boundary has been read
                }
                target = _requested();
                Taken = target;
            }
            var result = ReadOnce(target);
            _done(this, result);
            if (result.Error is not null)
            {
                return; // the meter reports the failure at the next boundary; readings stop here
            }
        }
    }

    /// <summary>A failed NVML call (driver busy for a moment) is tried again twice before it counts as a failure.</summary>
    private ReadResult ReadOnce(long target)
    {
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reading = _source.Read();
                return new ReadResult(target, reading, started, _time.GetTimestamp(), null);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (attempt == Attempts)
                {
                    return new ReadResult(target, default, started, _time.GetTimestamp(), ex);
                }
                Thread.Sleep(10 * attempt); // a short back-off on the reader's own thread, never the training thread's
            }
        }
    }
}

/// <summary>One read of a slow source for boundaries up to <paramref name="Through"/>; timestamps on the meter's TimeProvider.</summary>
internal readonly record struct ReadResult(long Through, EnergyReading Reading, long Started, long Finished, Exception? Error);
