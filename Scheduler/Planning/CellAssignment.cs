namespace GreenTrain.Scheduler.Planning;

/// <summary>The cells a job runs in, in time order, each with its region.</summary>
internal readonly record struct PlannedCell(int Cell, int Region);

/// <summary>
/// Prices an assignment of cells: the run energy of every cell at its intensity, plus a pause's energy
/// wherever a run resumes after a gap, plus a move's energy wherever the region changes. The planner
/// prices its choice on the forecast; the back-test prices the same choice on the actual trace.
/// </summary>
internal static class CellAssignment
{
    public static (double Grams, int Pauses, int Migrations) Price(
        IReadOnlyList<PlannedCell> cells, JobSpace space, double[][]? intensityOverride = null)
    {
        var intensity = intensityOverride ?? space.Intensity;
        var costs = space.Job.Costs;
        double grams = 0;
        int pauses = 0, migrations = 0;
        var lastCell = space.IsRunning ? space.First - 1 : int.MinValue;
        var lastRegion = space.IsRunning || space.IsPaused ? space.StartRegion : -1;
        foreach (var (cell, region) in cells)
        {
            var value = intensity[region][cell];
            grams += space.EnergyPerCell * value;
            var contiguous = cell == lastCell + 1;
            if (lastRegion >= 0 && region != lastRegion)
            {
                migrations++;
                grams += costs.MoveKWh * value;
            }
            else if (lastRegion >= 0 && !contiguous)
            {
                pauses++;
                grams += costs.PauseKWh * value;
            }
            lastCell = cell;
            lastRegion = region;
        }
        return (grams, pauses, migrations);
    }
}
