namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// How many trainer slots each region has and how many planned jobs use each cell; a cell is blocked for
/// the next job once all of a region's slots are taken. A region without a slot count is unlimited.
/// </summary>
internal sealed class SlotUsage
{
    private readonly int _cells;
    private readonly IReadOnlyDictionary<string, int> _slots;
    private readonly Dictionary<string, int[]> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool[]> _blocked = new(StringComparer.OrdinalIgnoreCase);

    // Shared by every region that has no block yet; never written, so one usage can serve parallel readers.
    private readonly bool[] _none;

    public SlotUsage(int cells, IReadOnlyDictionary<string, int>? slots)
    {
        _cells = cells;
        _slots = slots ?? new Dictionary<string, int>();
        _none = new bool[cells];
    }

    public bool[] BlockedCells(string region) => _blocked.TryGetValue(region, out var blocked) ? blocked : _none;

    public void Take(string region, int cell)
    {
        if (!_slots.TryGetValue(region, out var slots) || slots <= 0)
        {
            return;
        }
        if (!_used.TryGetValue(region, out var used))
        {
            _used[region] = used = new int[_cells];
        }
        if (++used[cell] >= slots)
        {
            if (!_blocked.TryGetValue(region, out var blocked))
            {
                _blocked[region] = blocked = new bool[_cells];
            }
            blocked[cell] = true;
        }
    }
}
