using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;
using GreenTrain.Testing.Files;

namespace GreenTrain.Trainer.Tests.Energy.Sinks;

/// <summary>The standalone run's energy file is written beside the training thread, not on it.</summary>
public sealed class BackgroundEnergyWindowSinkTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    [Fact]
    public void Every_window_handed_over_reaches_the_run_folder_in_order_when_the_run_ends()
    {
        var start = new DateTimeOffset(2020, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var windows = Enumerable.Range(0, 200)
            .Select(i => new EnergyWindow("exp-1", "run-1", i, start.AddSeconds(i), start.AddSeconds(i + 1), EnergyPhase.Train, i, i + 1,
                [new DeviceEnergy("gpu:0", DeviceKind.Gpu, EnergyMethod.Counter, 100 + i, 100 + i, 90)]))
            .ToList();
        var sink = new BackgroundEnergyWindowSink(new EnergyWindowFileWriter(_folder.Path));
        sink.WriteRunInfo(new EnergyRunInfo("exp-1", "run-1"));

        windows.ForEach(sink.Append);
        sink.Dispose();

        var lines = File.ReadAllLines(Path.Combine(_folder.Path, EnergyFiles.WindowsFileName));
        lines.Select(l => JsonSerializer.Deserialize<EnergyWindow>(l, EnergyFiles.JsonOptions)!.Sequence).Should().Equal(windows.Select(w => w.Sequence));
        File.Exists(Path.Combine(_folder.Path, EnergyFiles.RunInfoFileName)).Should().BeTrue();
        sink.Invoking(s => s.Append(windows[0])).Should().Throw<ObjectDisposedException>();
    }

    public void Dispose() => _folder.Dispose();
}
