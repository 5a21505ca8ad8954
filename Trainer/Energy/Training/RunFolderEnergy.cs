using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Training;

/// <summary>
/// The energy observer of a standalone run: measures with the best sources of this machine and writes
/// energy.jsonl and energy-run.json into the run's output folder, for `Telemetry report --energy DIR`.
/// The Trainer's `train` command adds <see cref="Observer"/> to its observers and disposes this at the end.
/// </summary>
public sealed class RunFolderEnergy : IPhaseEnergy, IDisposable
{
    private readonly BackgroundEnergyWindowSink _writer;
    private readonly EnergyRunInfo _runInfo;
    private readonly PhaseTotals _totals = new();

    public RunFolderEnergy(string outputFolder, string experimentId, EnergyOptions? options = null, string? region = null)
    {
        var factory = new EnergyMeterFactory(options ?? new EnergyOptions());
        var runId = Guid.NewGuid().ToString("N");
        // The disk flush of each window runs beside the training thread, not on it.
        _writer = new BackgroundEnergyWindowSink(new EnergyWindowFileWriter(outputFolder));
        var meter = factory.CreateMeter(experimentId, runId, window =>
        {
            _totals.Add(window);
            _writer.Append(window);
        });
        Meter = meter;
        Notes = factory.Notes;
        _runInfo = factory.DescribeRun(experimentId, runId, meter.Sources) with { Region = region };
        Observer = new EnergyWindowObserver(meter, _writer, _runInfo);
    }

    /// <summary>The run's meter, for work outside the training loop (the dedup stage opens and closes its own windows).</summary>
    public EnergyMeter Meter { get; }

    /// <summary>Joules published so far in windows of <paramref name="phase"/>, and the weakest method among them (null before any).</summary>
    public (double Joules, EnergyMethod? Method) Total(EnergyPhase phase) => _totals.Total(phase);

    /// <summary>Writes energy-run.json for a run that never reaches the training loop (the standalone dedup verb).</summary>
    public void WriteRunInfo(string projectName) => _writer.WriteRunInfo(_runInfo with { ProjectName = projectName, TotalSteps = 0 });

    public EnergyWindowObserver Observer { get; }

    /// <summary>Which source measures which device, and why ("cpu: estimate, no RAPL"), to print at the start.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The meter first (it publishes the windows whose readings are still coming), then the writer (it writes them).</summary>
    public void Dispose()
    {
        Observer.Dispose();
        _writer.Dispose();
    }
}
