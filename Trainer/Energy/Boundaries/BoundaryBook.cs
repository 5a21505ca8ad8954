namespace GreenTrain.Trainer.Energy.Boundaries;

/// <summary>
/// The boundaries whose readings are not all in yet, oldest first, and the last complete one (the start of the
/// next window to publish). Readers read in boundary order, so completeness only moves forward: the waiting
/// boundaries are a queue, and a window is ready as soon as its end boundary is the oldest waiting one and complete.
/// Not thread-safe: the meter holds its lock around every call.
/// </summary>
internal sealed class BoundaryBook
{
    private readonly Queue<Boundary> _waiting = new();
    private Boundary? _newest;
    private Boundary? _lastComplete;

    /// <summary>How many boundaries wait for a reading; bounded (see EnergyMeter's merge) rather than by the step count.</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>The newest boundary while it still waits for a reading, else null.</summary>
    public Boundary? NewestWaiting => _waiting.Count > 0 ? _newest : null;

    public void Add(Boundary boundary)
    {
        _waiting.Enqueue(boundary);
        _newest = boundary;
    }

    /// <summary>
    /// Gives one reading of <paramref name="source"/> to every waiting boundary up to <paramref name="through"/> that
    /// lacks one: boundaries that came while the reader was busy share the reading taken for the newest of them.
    /// </summary>
    public void Apply(int source, long through, EnergyReading reading, Action<Boundary> readFor)
    {
        foreach (var boundary in _waiting)
        {
            if (boundary.Number > through)
            {
                break;
            }
            if (!boundary.HasReading(source))
            {
                boundary.SetReading(source, reading);
                readFor(boundary);
            }
        }
    }

    /// <summary>Takes the complete boundaries off the queue, oldest first, calling <paramref name="window"/> for each window they end.</summary>
    public void TakeComplete(Action<Boundary, Boundary> window)
    {
        while (_waiting.TryPeek(out var boundary) && boundary.Outstanding == 0)
        {
            _waiting.Dequeue();
            if (boundary.PhaseBefore is not null && _lastComplete is not null)
            {
                window(_lastComplete, boundary);
            }
            _lastComplete = boundary;
        }
    }
}
