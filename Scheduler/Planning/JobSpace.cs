namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// One job seen on the grid: the regions it may use, the cells it may run in ([First, End)), how many
/// cells of work remain, and the grams each cell and each pause or move would cost. Cells whose region
/// has no free trainer slot are blocked (infinite cost).
/// </summary>
internal sealed class JobSpace
{
    public JobSpace(PlanningJob job, ForecastGrid grid, DateTimeOffset now, SlotUsage usage)
    {
        Job = job;
        Regions = job.AllowedRegions.Where(grid.Regions.ContainsKey).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        Intensity = Regions.Select(r => grid.Regions[r]).ToArray();
        First = grid.CellAtOrAfter(job.NotBefore is { } notBefore && notBefore > now ? notBefore : now);
        End = Math.Min(grid.Cells, grid.CellsEndingBy(job.Deadline));
        CellsNeeded = Math.Max(1, (int)Math.Ceiling(job.RemainingDuration.Ticks / (double)grid.Step.Ticks - 1e-9));
        CellsDone = job.TotalDuration is { } total && total > job.RemainingDuration
            ? (int)Math.Round((total - job.RemainingDuration).Ticks / (double)grid.Step.Ticks) : 0;
        EnergyPerCell = job.RemainingEnergyKWh / CellsNeeded;
        StartRegion = job.CurrentRegion is { } current ? Array.FindIndex(Regions, r => r.Equals(current, StringComparison.OrdinalIgnoreCase)) : -1;
        Blocked = Regions.Select(r => usage.BlockedCells(r)).ToArray();
    }

    /// <summary>
    /// The same job with the decision for the current cell (<see cref="First"/>) already taken: run there (its cost made
    /// so low in every region that any solver takes it) or not (blocked everywhere). The solvers then plan the rest of the
    /// work around that decision; a plan is priced on the unaltered space.
    /// </summary>
    public JobSpace WithCurrentCell(bool run) => new(this, run);

    private JobSpace(JobSpace from, bool run)
    {
        Job = from.Job;
        Regions = from.Regions;
        First = from.First;
        End = from.End;
        CellsNeeded = from.CellsNeeded;
        CellsDone = from.CellsDone;
        EnergyPerCell = from.EnergyPerCell;
        StartRegion = from.StartRegion;
        Intensity = from.Intensity;
        Blocked = from.Blocked;
        if (run)
        {
            Intensity = from.Intensity.Select(values => (double[])values.Clone()).ToArray();
            foreach (var values in Intensity)
            {
                values[First] = ForcedIntensity;
            }
        }
        else
        {
            Blocked = from.Blocked.Select(cells => (bool[])cells.Clone()).ToArray();
            foreach (var cells in Blocked)
            {
                cells[First] = true;
            }
        }
    }

    /// <summary>Far below any real intensity times any pause or move energy, so every solver runs a cell that costs this.</summary>
    private const double ForcedIntensity = -1e9;

    public PlanningJob Job { get; }

    public string[] Regions { get; }

    public double[][] Intensity { get; }

    public bool[][] Blocked { get; }

    public int First { get; }

    /// <summary>One past the last cell that ends by the deadline (or the grid's end).</summary>
    public int End { get; }

    public int CellsNeeded { get; }

    /// <summary>Cells of work already done (0 when the job's whole length is not known): which cell of its work comes next.</summary>
    public int CellsDone { get; }

    public double EnergyPerCell { get; }

    /// <summary>Index in <see cref="Regions"/> of the region the job runs or is paused in; -1 when waiting.</summary>
    public int StartRegion { get; }

    public bool IsRunning => Job.Phase == JobPhase.Running && StartRegion >= 0;

    public bool IsPaused => Job.Phase == JobPhase.Paused && StartRegion >= 0;

    public double RunGrams(int region, int cell) => Blocked[region][cell] ? double.PositiveInfinity : EnergyPerCell * Intensity[region][cell];

    public double PauseGrams(int region, int cell) => Job.Costs.PauseKWh * Intensity[region][cell];

    public double MoveGrams(int region, int cell) => Job.Costs.MoveKWh * Intensity[region][cell];

    /// <summary>Cells in [First, End) where at least one region is free: fewer than needed means the deadline is out of reach.</summary>
    public int FreeCells()
    {
        var free = 0;
        for (var t = First; t < End; t++)
        {
            for (var r = 0; r < Regions.Length; r++)
            {
                if (!Blocked[r][t])
                {
                    free++;
                    break;
                }
            }
        }
        return free;
    }
}
