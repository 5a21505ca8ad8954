using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Boundaries;

namespace GreenTrain.Trainer.Energy;

/// <summary>
/// Cuts a run's energy into windows at step boundaries. Like Zeus, the caller synchronises its devices
/// (for CUDA, torch.cuda.synchronize()) before <see cref="Switch"/> or <see cref="Close"/>: queued kernels
/// would otherwise be billed to the next window.
/// <para>
/// A boundary costs the training thread a timestamp, the cheap sources' reads (RAPL, estimates) and a hand-off:
/// slow sources (<see cref="IEnergySource.ReadsSlowly"/>: GPUs, whose NVML counter call takes ~3 ms) are read by a
/// background reader each, right after the boundary. A window is published through <c>publish</c>, in order,
/// once every reading of its two boundaries is in: on the training thread when all sources are cheap, else on a
/// reader's thread. Every joule stays counted (the windows sum to the counter's difference between the first and
/// the last boundary); only the split between neighbouring windows moves by the reader's lag times the power
/// (<see cref="ReadLags"/>). When boundaries come faster than reads, a boundary that no reader has taken yet is
/// moved forward instead of adding another (two windows of one phase merge), so nothing queues up.
/// </para>
/// Open, Switch and Close belong to one thread (the training loop's).
/// </summary>
public sealed class EnergyMeter : IDisposable
{
    private readonly string _experimentId;
    private readonly string _runId;
    private readonly Action<EnergyWindow> _publish;
    private readonly TimeProvider _time;
    private readonly object _gate = new(); // guards the book, _requested, _ready, _failure and the readers' Taken
    private readonly object _publishing = new(); // one publisher at a time, so windows go out in order
    private readonly BoundaryBook _book = new();
    private readonly Queue<EnergyWindow> _ready = new();
    private readonly int[] _cheap;
    private readonly SlowSourceReader[] _readers;
    private long _requested = -1;
    private long _nextBoundary;
    private long _sequence;
    private EnergyPhase? _phase;
    private Exception? _failure;
    private bool _disposed;

    /// <param name="publish">Receives each window once its readings are in, in sequence order, on the training thread
    /// or a reader's thread: it should only hand the window on (a queue write), not do slow work.</param>
    public EnergyMeter(string experimentId, string runId, IReadOnlyList<IEnergySource> sources, Action<EnergyWindow> publish, TimeProvider? time = null)
    {
        _experimentId = experimentId;
        _runId = runId;
        _publish = publish;
        _time = time ?? TimeProvider.System;
        Sources = sources;
        _cheap = Enumerable.Range(0, sources.Count).Where(i => !sources[i].ReadsSlowly).ToArray();
        _readers = Enumerable.Range(0, sources.Count).Where(i => sources[i].ReadsSlowly)
            .Select(i => new SlowSourceReader(sources[i], i, _gate, () => _requested, OnRead, _time)).ToArray();
    }

    public IReadOnlyList<IEnergySource> Sources { get; }

    public bool IsOpen => _phase is not null;

    /// <summary>The phase of the open window, or null when none is open.</summary>
    public EnergyPhase? Phase => _phase;

    /// <summary>How late the slow sources' readings came after their boundaries (the latest 4096).</summary>
    public ReadLagLog ReadLags { get; } = new();

    /// <summary>Windows merged into their predecessor because boundaries came faster than the slow sources' reads.</summary>
    public long MergedWindows { get; private set; }

    /// <summary>Boundaries still waiting for a reading now; stays small however fast boundaries come.</summary>
    public int WaitingBoundaries
    {
        get { lock (_gate) return _book.WaitingCount; }
    }

    /// <summary>Starts a window: this boundary's readings are its baseline.</summary>
    public void Open(EnergyPhase phase, long step)
    {
        if (_phase is { } open)
        {
            throw new InvalidOperationException($"An energy window ({open}) is already open: close or switch it first.");
        }
        Mark(null, step);
        _phase = phase;
    }

    /// <summary>Closes the open window here and opens one of <paramref name="next"/> at the same boundary, so nothing falls between them. Does not wait for slow reads.</summary>
    public void Switch(EnergyPhase next, long step)
    {
        var open = _phase ?? throw new InvalidOperationException("No energy window is open: call Open first.");
        Mark(open, step);
        _phase = next;
    }

    /// <summary>Ends the open window at this step and waits until it (and every window before it) is published.</summary>
    public void Close(long step)
    {
        var open = _phase ?? throw new InvalidOperationException("No energy window is open: call Open first.");
        Mark(open, step);
        _phase = null;
        Flush();
    }

    /// <summary>Waits until every window closed so far is published (a few ms: the outstanding reads). Throws a reader's failure.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            while (_book.WaitingCount > 0 && _failure is null)
            {
                Monitor.Wait(_gate);
            }
        }
        Publish();
        ThrowIfFailed();
    }

    private void Mark(EnergyPhase? closing, long step)
    {
        ThrowIfFailed();
        var at = _time.GetUtcNow();
        var timestamp = _time.GetTimestamp();
        var cheap = new EnergyReading[_cheap.Length];
        for (var i = 0; i < cheap.Length; i++)
        {
            cheap[i] = Sources[_cheap[i]].Read();
        }
        lock (_gate)
        {
            var boundary = closing is not null && _book.NewestWaiting is { } newest && CanMerge(newest, closing.Value) ? newest : null;
            if (boundary is not null)
            {
                boundary.MoveTo(at, timestamp, step);
                MergedWindows++;
            }
            else
            {
                boundary = new Boundary(_nextBoundary++, at, timestamp, step, closing, Sources.Count);
                _book.Add(boundary);
            }
            for (var i = 0; i < cheap.Length; i++)
            {
                boundary.SetReading(_cheap[i], cheap[i]);
            }
            if (_readers.Length > 0)
            {
                _requested = boundary.Number;
                Monitor.PulseAll(_gate); // wakes the readers; the training thread does not wait for them
            }
            _book.TakeComplete(Enqueue);
        }
        if (_readers.Length == 0)
        {
            Publish(); // every source is cheap: the window is complete now, published on this thread as before
        }
    }

    /// <summary>
    /// The newest boundary can move to now when the window ending at it has the phase of the window closing now
    /// (the two merge into one) and no reader has started to read it, so no reading belongs to its old moment.
    /// </summary>
    private bool CanMerge(Boundary newest, EnergyPhase closing)
    {
        if (newest.PhaseBefore != closing)
        {
            return false;
        }
        foreach (var reader in _readers)
        {
            if (reader.Taken >= newest.Number)
            {
                return false;
            }
        }
        return true;
    }

    private void OnRead(SlowSourceReader reader, ReadResult result)
    {
        var device = Sources[reader.Index].Device;
        lock (_gate)
        {
            if (result.Error is not null)
            {
                _failure ??= new InvalidOperationException($"Reading {device} failed; energy windows stop here: {result.Error.Message}", result.Error);
            }
            else
            {
                _book.Apply(reader.Index, result.Through, result.Reading, boundary => ReadLags.Add(new ReadLag(device,
                    _time.GetElapsedTime(boundary.Timestamp, result.Started), _time.GetElapsedTime(boundary.Timestamp, result.Finished),
                    boundary.Number < result.Through)));
                _book.TakeComplete(Enqueue);
            }
            Monitor.PulseAll(_gate); // wakes Flush
        }
        try
        {
            Publish();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failure ??= new InvalidOperationException($"Publishing an energy window failed: {ex.Message}", ex);
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Enqueue(Boundary start, Boundary end)
    {
        var seconds = Math.Max((end.At - start.At).TotalSeconds, 0);
        var devices = new DeviceEnergy[Sources.Count];
        for (var i = 0; i < devices.Length; i++)
        {
            var source = Sources[i];
            // A source never runs backwards, but a clamp keeps a faulty one from producing negative energy.
            var joules = Math.Max(end.Readings[i].TotalJoules - start.Readings[i].TotalJoules, 0);
            devices[i] = new DeviceEnergy(source.Device, source.Kind, source.Method, joules,
                seconds > 0 ? joules / seconds : 0, end.Readings[i].UtilizationPercent, end.Readings[i].MemoryUsedBytes);
        }
        _ready.Enqueue(new EnergyWindow(_experimentId, _runId, _sequence++, start.At, end.At, end.PhaseBefore!.Value, start.Step, end.Step, devices));
    }

    /// <summary>Hands ready windows on in sequence order; whoever holds <see cref="_publishing"/> drains the queue.</summary>
    private void Publish()
    {
        lock (_publishing)
        {
            while (true)
            {
                EnergyWindow? window;
                lock (_gate)
                {
                    if (!_ready.TryDequeue(out window))
                    {
                        return;
                    }
                }
                _publish(window);
            }
        }
    }

    private void ThrowIfFailed()
    {
        Exception? failure;
        lock (_gate)
        {
            failure = _failure;
        }
        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Publishes every closed window whose readings can still come (a window left open is not closed: call Close),
    /// then stops the readers and disposes the sources.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var reader in _readers)
        {
            reader.Stop(); // reads what was requested first
        }
        Publish();
        foreach (var source in Sources)
        {
            source.Dispose();
        }
    }
}
