using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Boundaries;

/// <summary>
/// One window boundary: when and at which step the training thread marked it, and each source's reading, filled
/// in as the readings arrive (cheap sources at once, slow ones from their background readers). A boundary is
/// complete when every source has read it; the window that ends at it can then be built.
/// </summary>
internal sealed class Boundary
{
    private readonly bool[] _read;

    public Boundary(long number, DateTimeOffset at, long timestamp, long step, EnergyPhase? phaseBefore, int sources)
    {
        Number = number;
        At = at;
        Timestamp = timestamp;
        Step = step;
        PhaseBefore = phaseBefore;
        Readings = new EnergyReading[sources];
        _read = new bool[sources];
        Outstanding = sources;
    }

    /// <summary>0, 1, 2 ... in the order the training thread marked boundaries; readers read in this order.</summary>
    public long Number { get; }

    /// <summary>Wall time of the boundary (after the device sync): the window's end and the next one's start.</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>The same moment on the meter's TimeProvider timestamp scale, to measure how late each reading came.</summary>
    public long Timestamp { get; private set; }

    public long Step { get; private set; }

    /// <summary>The phase of the window that ends here; null for a boundary that only opens one (after Open).</summary>
    public EnergyPhase? PhaseBefore { get; }

    public EnergyReading[] Readings { get; }

    /// <summary>Sources whose reading has not arrived yet.</summary>
    public int Outstanding { get; private set; }

    public bool HasReading(int source) => _read[source];

    public void SetReading(int source, EnergyReading reading)
    {
        Readings[source] = reading;
        if (!_read[source])
        {
            _read[source] = true;
            Outstanding--;
        }
    }

    /// <summary>
    /// Moves a boundary that no slow reader has taken yet to a later moment: the window that ended here now ends
    /// there (the two windows of one phase merge). Cheap sources' readings are replaced by ones taken at the new moment.
    /// </summary>
    public void MoveTo(DateTimeOffset at, long timestamp, long step)
    {
        At = at;
        Timestamp = timestamp;
        Step = step;
    }
}
