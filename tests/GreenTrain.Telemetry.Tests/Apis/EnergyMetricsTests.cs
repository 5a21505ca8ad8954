using System.Diagnostics.Metrics;
using GreenTrain.ServiceDefaults;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Metrics;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Tests.Apis;

[Collection(TelemetryMeterCollection.Name)]
public sealed class EnergyMetricsTests
{
    [Fact]
    public async Task Windows_pushed_during_a_run_become_hardware_energy_and_emissions_metrics()
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var publisher = new StoreEnergyWindowPublisher(store);
        var windows = ReportFixtures.Windows();
        await publisher.PublishRunInfoAsync(ReportFixtures.Run);
        await publisher.PublishAsync(windows[0]); // already there when Telemetry starts: left to the reports

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // A MeterListener hears every meter of the process: other tests' Telemetry meters carry the same name.
            // The meters this test's factory creates have the factory as their scope.
            if (instrument.Meter.Name == GreenTrainTelemetry.TelemetryMeter && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        var options = Options.Create(new AccountingOptions());
        var reports = ReportsApiTests.Reports(store);
        var exporter = new EnergyWindowExporter(store, reports,
            new TraceIntensitySource(new Dictionary<string, string> { ["DE"] = TestWindows.TracePath }, GreenTrain.ServiceDefaults.Carbon.Traces.TracePolicy.Utc),
            new EnergyMetrics(meterFactory), new PredictionPublisher(store, reports), options,
            NullLogger<EnergyWindowExporter>.Instance);

        (await exporter.ExportNewWindowsAsync()).Should().Be(0);
        await publisher.PublishAsync(windows[2]);
        (await exporter.ExportNewWindowsAsync()).Should().Be(1);

        var gpuEnergy = measurements.Single(m => m.Instrument == "hw.energy" && (string?)m.Tags["hw.type"] == "gpu");
        gpuEnergy.Value.Should().Be(windows[2].Devices[0].Joules);
        gpuEnergy.Tags["hw.id"].Should().Be("gpu:0");
        measurements.Where(m => m.Instrument == "hw.energy").Select(m => m.Tags["hw.type"]).Should().BeEquivalentTo(["gpu", "cpu", "memory"]);
        measurements.Should().Contain(m => m.Instrument == "hw.power" && (string?)m.Tags["hw.type"] == "gpu" && Math.Abs(m.Value - 600) < 1e-9);
        var expected = EmissionsAccountant.Price(windows[2], windows[2].Start, windows[2].End, ReportFixtures.Germany,
            new AccountingSettings("DE", 1.0, AverageIntensity.WorldGramsPerKwh, AverageIntensity.WorldSource));
        measurements.Where(m => m.Instrument == "greentrain.emissions").Sum(m => m.Value).Should().BeApproximately(expected.EmissionsGrams, 1e-9);
        measurements.Should().Contain(m => m.Instrument == "greentrain.intensity" && Math.Abs(m.Value - expected.IntensityGramsPerKwh) < 1e-9);
        // New windows also refresh the prediction the Scheduler plans the rest of the run with.
        var stored = RunPrediction.TryParse(await store.Database.StringGetAsync(StoreKeys.EnergyPrediction(windows[2].ExperimentId)));
        stored.Should().NotBeNull().And.Be((await reports.BuildAsync(windows[2].ExperimentId))!.Value.Report.Prediction);
    }
}
