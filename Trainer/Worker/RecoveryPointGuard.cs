using System.Diagnostics;
using GreenTrain.Trainer.Checkpoints;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// Keeps the promise a checkpoint interval makes: a crash at any moment loses at most one interval of
/// training (N steps, or N seconds), counted back from the newest <em>committed</em> checkpoint.
/// Saves run in the background, so a checkpoint taken exactly every interval would commit some time after
/// the interval began and a crash in between would lose more. Two things close that gap:
/// <list type="bullet">
/// <item>Lead: snapshots are taken early by the time the recent saves took to commit (converted to steps with
/// the measured step time), so in steady state each one is committed before the interval runs out.</item>
/// <item>Hold: if the next step would still leave the newest committed checkpoint more than one interval
/// behind (a slow save, a loaded machine, the first save of a run), the training thread waits for the
/// pending save. The bound then holds whatever the store does; only throughput pays.</item>
/// </list>
/// Thread-safe: saves complete on pool threads while the training thread asks at each step boundary.
/// </summary>
public sealed class RecoveryPointGuard
{
    // Lead = the slowest of the last few saves, with a margin, so ordinary jitter does not cause a hold.
    private const int LatencyHistory = 4;
    private const double LeadMargin = 1.25;

    private readonly CheckpointCadence _cadence;
    private readonly object _gate = new();
    private readonly Queue<double> _latencies = new();
    private readonly List<Pending> _pending = [];
    private long _committedStep;
    private long _committedAt;
    private long _snapshotStep;
    private long _snapshotAt;
    private long _lastBoundaryAt;
    private double _stepSeconds;

    /// <param name="restoredStep">The step training starts from: its checkpoint is committed already (or it is step 0).</param>
    public RecoveryPointGuard(CheckpointCadence cadence, long restoredStep)
    {
        _cadence = cadence;
        _committedStep = _snapshotStep = restoredStep;
        _committedAt = _snapshotAt = _lastBoundaryAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The step of the newest snapshot handed over (at start: the restored step).</summary>
    public long LastSnapshotStep => _snapshotStep;

    /// <summary>Total time the training thread waited for saves to keep the bound.</summary>
    public TimeSpan Held { get; private set; }

    /// <summary>Number of step boundaries at which the training thread waited.</summary>
    public int Holds { get; private set; }

    /// <summary>Called at every step boundary, before <see cref="SnapshotDue"/>: measures the step time.</summary>
    public void StepEnded()
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_lastBoundaryAt, now).TotalSeconds;
        _lastBoundaryAt = now;
        // A smoothed step time: one slow step (an evaluation, a hold) should not make snapshots run far ahead.
        _stepSeconds = _stepSeconds == 0 ? seconds : 0.8 * _stepSeconds + 0.2 * seconds;
    }

    /// <summary>Whether a snapshot must be taken at this boundary for its save to commit within the interval.</summary>
    public bool SnapshotDue(long step)
    {
        var leadSeconds = LeadSeconds();
        if (_cadence.EverySteps is { } steps)
        {
            var leadSteps = _stepSeconds > 0 ? (long)Math.Ceiling(leadSeconds / _stepSeconds) : 0;
            if (step - _snapshotStep >= Math.Max(1, steps - leadSteps))
            {
                return true;
            }
        }
        if (_cadence.EverySeconds is { } seconds)
        {
            var sinceSnapshot = Stopwatch.GetElapsedTime(_snapshotAt).TotalSeconds;
            // The next boundary comes one step from now: snapshot here if that would already be too late.
            if (sinceSnapshot + _stepSeconds >= seconds - leadSeconds)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Records a snapshot handed to the writer; its commit moves the recovery point forward.</summary>
    public void Accepted(long step, Task<CheckpointSaveResult> saved)
    {
        var takenAt = Stopwatch.GetTimestamp();
        var pending = new Pending(step, takenAt);
        lock (_gate)
        {
            _snapshotStep = step;
            _snapshotAt = takenAt;
            _pending.Add(pending);
        }
        // Holds wait on this continuation, not on the save, so the recovery point has moved when they wake.
        pending.Recorded = saved.ContinueWith(t => Completed(pending, t.Result), TaskScheduler.Default);
    }

    /// <summary>
    /// Waits, if it must, until the newest committed checkpoint is close enough that one more step keeps a
    /// crash within one interval. Returns at once in steady state. Gives up (returns) when no pending save
    /// can help, e.g. after a failed save: the writer has logged that, and training goes on.
    /// </summary>
    public void HoldIfBehind(long step)
    {
        var started = 0L;
        while (true)
        {
            Pending? oldest;
            lock (_gate)
            {
                if (WithinBound(step))
                {
                    break;
                }
                oldest = _pending.Count > 0 ? _pending[0] : null;
            }
            if (oldest is null)
            {
                break;
            }
            if (started == 0)
            {
                started = Stopwatch.GetTimestamp();
            }
            // Saves finish in order, so the oldest pending one is the next that can move the recovery point.
            oldest.Recorded.Wait();
        }
        if (started != 0)
        {
            Held += Stopwatch.GetElapsedTime(started);
            Holds++;
        }
    }

    private bool WithinBound(long step)
    {
        if (_cadence.EverySteps is { } steps && step + 1 - _committedStep > steps)
        {
            return false;
        }
        if (_cadence.EverySeconds is { } seconds
            && Stopwatch.GetElapsedTime(_committedAt).TotalSeconds + _stepSeconds > seconds)
        {
            return false;
        }
        return true;
    }

    private void Completed(Pending pending, CheckpointSaveResult result)
    {
        var latency = Stopwatch.GetElapsedTime(pending.TakenAt).TotalSeconds;
        lock (_gate)
        {
            _pending.Remove(pending);
            if (result.Status != CheckpointSaveStatus.Committed || pending.Step < _committedStep)
            {
                return;
            }
            _committedStep = pending.Step;
            _committedAt = pending.TakenAt;
            _latencies.Enqueue(latency);
            if (_latencies.Count > LatencyHistory)
            {
                _latencies.Dequeue();
            }
        }
    }

    private double LeadSeconds()
    {
        lock (_gate)
        {
            return _latencies.Count == 0 ? 0 : _latencies.Max() * LeadMargin;
        }
    }

    private sealed class Pending(long step, long takenAt)
    {
        public long Step { get; } = step;
        public long TakenAt { get; } = takenAt;
        public Task Recorded { get; set; } = Task.CompletedTask;
    }
}
