using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Training;

/// <summary>
/// The energy observer of a standalone run: measures with the best sources of this machine and writes
/// energy.jsonl and energy-run.json into the run's output folder, for `Telemetry report --energy DIR`.
/// The Trainer's `train` command adds <see cref="Observer"/> to its observers and disposes this at the end.
/// </summary>
public sealed class RunFolderEnergy : IDisposable
{
    private readonly BackgroundEnergyWindowSink _writer;

    public RunFolderEnergy(string outputFolder, string experimentId, EnergyOptions? options = null, string? region = null)
    {
        var factory = new EnergyMeterFactory(options ?? new EnergyOptions());
        var runId = Guid.NewGuid().ToString("N");
        // The disk flush of each window runs beside the training thread, not on it.
        _writer = new BackgroundEnergyWindowSink(new EnergyWindowFileWriter(outputFolder));
        var meter = factory.CreateMeter(experimentId, runId, _writer.Append);
        Notes = factory.Notes;
        Observer = new EnergyWindowObserver(meter, _writer, factory.DescribeRun(experimentId, runId, meter.Sources) with { Region = region });
    }

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
