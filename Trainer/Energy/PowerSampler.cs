namespace GreenTrain.Trainer.Energy;

/// <summary>
/// Integrates a power reading over time (trapezoid rule) on a background timer, for devices that have no
/// energy counter. The measurement rules ask for 10 Hz or more; the period is the caller's.
/// </summary>
public sealed class PowerSampler : IDisposable
{
    private readonly Func<double> _readWatts;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private long _lastTimestamp;
    private double _lastWatts;
    private double _joules;

    public PowerSampler(Func<double> readWatts, TimeSpan period, TimeProvider? time = null)
    {
        if (period <= TimeSpan.Zero || period > TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Power must be sampled at 10 Hz or more (a period of at most 100 ms).");
        }
        _readWatts = readWatts;
        _time = time ?? TimeProvider.System;
        _lastTimestamp = _time.GetTimestamp();
        _lastWatts = readWatts();
        _timer = _time.CreateTimer(_ => SampleInBackground(), null, period, period);
    }

    /// <summary>Joules since the sampler started, including the stretch since the last timer tick.</summary>
    public double TotalJoules()
    {
        Sample();
        lock (_gate)
        {
            return _joules;
        }
    }

    /// <summary>
    /// A timer tick. A failed read (the driver busy or gone for a moment) is skipped: the next good sample integrates
    /// across the gap. Left unhandled it would end the process, and the training run with it.
    /// </summary>
    private void SampleInBackground()
    {
        try
        {
            Sample();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // skipped on purpose; a read at a window boundary (TotalJoules) still throws to its caller
        }
    }

    private void Sample()
    {
        var watts = _readWatts();
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var seconds = _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            if (seconds > 0)
            {
                _joules += (watts + _lastWatts) / 2 * seconds;
                _lastTimestamp = now;
                _lastWatts = watts;
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
