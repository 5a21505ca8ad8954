using GreenTrain.Scheduler.Experiments;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// One back-test job as the live Scheduler keeps an experiment: an <see cref="ExperimentRecord"/> whose state, region
/// and progress follow what the simulation ran, so that <see cref="PlanningService.Plan"/> reads it exactly as it reads
/// a stored experiment (remaining work from the estimate and the progress, phase from the state, pause costs from the
/// options). Every job draws 1 kW, so its kWh equal its hours.
/// </summary>
internal sealed class SimulatedExperiment
{
    private readonly int _cellsNeeded;

    public SimulatedExperiment(SimulatedJob job, int cellsNeeded, TimeSpan step, IReadOnlyList<string> regions, bool pausable)
    {
        Job = job;
        _cellsNeeded = cellsNeeded;
        CellsLeft = cellsNeeded;
        var hours = step.TotalHours * cellsNeeded;
        Record = new ExperimentRecord
        {
            Id = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Spec = new ExperimentSpec { Carbon = new CarbonSpec { Deadline = job.Deadline, AllowedRegions = regions, Pausable = pausable } },
            SubmittedAt = job.Arrival,
            EstimatedHours = hours,
            EstimatedKWh = hours,
        };
    }

    public SimulatedJob Job { get; }

    public ExperimentRecord Record { get; private set; }

    public int CellsLeft { get; private set; }

    public int LastRunCell { get; private set; } = -2;

    public string? Region => Record.Region;

    public double Grams { get; set; }

    public Dictionary<string, double> Hours { get; } = [];

    /// <summary>The record as the Scheduler would hold it at cell t: running if it ran the cell before, paused if it ran earlier.</summary>
    public ExperimentRecord At(int t) => Record with
    {
        State = Record.Region is null ? ExperimentState.Queued : LastRunCell == t - 1 ? ExperimentState.Running : ExperimentState.Paused,
    };

    /// <summary>Records that cell t ran in <paramref name="region"/>.</summary>
    public void Ran(int t, string region, double hours)
    {
        Hours[region] = Hours.GetValueOrDefault(region) + hours;
        LastRunCell = t;
        CellsLeft--;
        Record = Record with { Region = region, Progress = 1 - CellsLeft / (double)_cellsNeeded };
    }
}
