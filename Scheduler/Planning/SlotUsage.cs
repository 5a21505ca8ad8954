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

    public SlotUsage(int cells, IReadOnlyDictionary<string, int>? slots)
    {
        _cells = cells;
        _slots = slots ?? new Dictionary<string, int>();
    }

    public bool[] BlockedCells(string region)
    {
        if (!_blocked.TryGetValue(region, out var blocked))
        {
            _blocked[region] = blocked = new bool[_cells];
        }
        return blocked;
    }

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
            BlockedCells(region)[cell] = true;
        }
    }
}
