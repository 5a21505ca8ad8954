using GreenTrain.ServiceDefaults.Carbon;
using System.Diagnostics;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Providers;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Extensions;
using GreenTrain.Telemetry.Metrics;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using StackExchange.Redis;
using SchedulerSeries = GreenTrain.ServiceDefaults.Carbon.IntensitySeries;
using GreenTrain.Trainer.Tests.Energy.Support;

namespace GreenTrain.Telemetry.Tests.Metrics;

/// <summary>
/// What the Aspire dashboard receives during a run, without looking at it: the Telemetry service composed with
/// its own registrations (AddServiceDefaults, AddApplicationServices), so its OpenTelemetry MeterProvider and
/// OTLP exporter are the ones the service runs with. One test reads that provider through an in-memory exporter;
/// the other reads what its OTLP exporter sends to a local OTLP/HTTP endpoint. The windows come from the
/// Trainer's real meter (fake NVML, as there is no GPU here; real CPU and memory estimates) through the store,
/// priced with the forecast the Scheduler cached.
/// </summary>
[Collection(TelemetryMeterCollection.Name)]
public sealed class MetricsExportTests
{
    private const double GpuJoulesTrain = 45.0;
    private const double GpuJoulesEvaluate = 15.0;

    [Fact]
    public async Task A_runs_energy_reaches_the_services_OpenTelemetry_exporter_as_hardware_and_emissions_metrics()
    {
        var exported = new List<MetricSnapshot>();
        var run = await RunAsync(builder => builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)));
        var (experiment, train, evaluate, forecast) = (run.Experiment, run.Train, run.Evaluate, run.Forecast);

        var energy = Metric(exported, "hw.energy");
        energy.Unit.Should().Be("J");
        energy.MetricType.Should().Be(MetricType.DoubleSum, "hw.energy is a monotonic counter");
        var energyPoints = Points(energy, experiment);
        energyPoints.Select(p => p.Tags["hw.type"]).Distinct().Should().BeEquivalentTo(["gpu", "cpu", "memory"]);
        energyPoints.Should().OnlyContain(p => p.Tags.ContainsKey("hw.id") && p.Value >= 0);
        Single(energyPoints, "gpu", "train").Value.Should().BeApproximately(GpuJoulesTrain, 1e-9);
        Single(energyPoints, "gpu", "evaluate").Value.Should().BeApproximately(GpuJoulesEvaluate, 1e-9);
        Single(energyPoints, "gpu", "train").Tags["hw.id"].Should().Be("gpu:0");
        Single(energyPoints, "gpu", "train").Tags["greentrain.method"].Should().Be("counter");
        var busyCpu = Single(energyPoints, "cpu", "train");
        // An estimate of TDP (100 W) x utilisation: never more than full load since the meter started.
        busyCpu.Value.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(100 * (train.End - run.MeterCreated).TotalSeconds);
        var ramWatts = run.RamTotalGb * MemoryWattsPerGb;
        Single(energyPoints, "memory", "train").Value.Should().BeApproximately(ramWatts * Seconds(train), ramWatts * Seconds(train) * 0.05);

        var power = Metric(exported, "hw.power");
        power.Unit.Should().Be("W");
        power.MetricType.Should().Be(MetricType.DoubleGauge);
        Single(Points(power, experiment), "gpu", "train").Value.Should().BeApproximately(GpuJoulesTrain / Seconds(train), 1e-6);
        Points(power, experiment).Select(p => p.Tags["hw.type"]).Distinct().Should().BeEquivalentTo(["gpu", "cpu", "memory"]);

        var intensity = Metric(exported, "greentrain.intensity");
        intensity.Unit.Should().Be("g/kWh");
        intensity.MetricType.Should().Be(MetricType.DoubleGauge);
        var charged = AllPoints(intensity).Single(p => (string?)p.Tags["greentrain.region"] == "DE");
        charged.Tags["greentrain.intensity.basis"].Should().Be("series", "the Scheduler's cached forecast covers the run");
        charged.Value.Should().BeApproximately(MeanOver(forecast, evaluate), 0.5);

        var emissions = Metric(exported, "greentrain.emissions");
        emissions.Unit.Should().Be("g");
        emissions.MetricType.Should().Be(MetricType.DoubleSum);
        foreach (var window in new[] { train, evaluate })
        {
            var phase = window.Phase.ToString().ToLowerInvariant();
            var grams = Points(emissions, experiment).Where(p => (string?)p.Tags["greentrain.phase"] == phase).Sum(p => p.Value);
            var expected = window.Devices.Sum(d => d.Joules) / 3.6e6 * MeanOver(forecast, window); // PUE 1.0 on a local machine
            grams.Should().BeApproximately(expected, expected * 0.01, $"the {phase} window's energy times the grid's intensity then");
        }
    }

    [Fact]
    public async Task The_metrics_reach_an_OTLP_endpoint_as_the_Aspire_dashboard_receives_them()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var run = await RunAsync(builder =>
        {
            // What the AppHost gives every project; http/protobuf here so the test can read the bodies (the dashboard also takes gRPC).
            builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint;
            builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        });

        // Cumulative sums: each export (the flush, then the one at shutdown) carries the totals so far; read the last.
        var bodies = collector.MetricBodies.Select(OtlpMetricsDecoder.Decode).ToList();
        bodies.Should().Contain(body => body.Any(p => p.Metric == "hw.energy"), "the service's OTLP exporter sends its metrics to the endpoint Aspire names");
        var received = bodies.Last(body => body.Any(p => p.Metric == "hw.energy"))
            .Where(p => !p.Attributes.TryGetValue("greentrain.experiment", out var e) || e == run.Experiment).ToList();

        var gpuTrain = received.Single(p => p.Metric == "hw.energy" && p.Attributes["hw.type"] == "gpu" && p.Attributes["greentrain.phase"] == "train");
        (gpuTrain.Unit, gpuTrain.Kind, gpuTrain.Monotonic).Should().Be(("J", "sum", true));
        gpuTrain.Value.Should().BeApproximately(GpuJoulesTrain, 1e-9);
        gpuTrain.Attributes["hw.id"].Should().Be("gpu:0");
        received.Where(p => p.Metric == "hw.energy").Select(p => p.Attributes["hw.type"]).Distinct().Should().BeEquivalentTo(["gpu", "cpu", "memory"]);
        received.Where(p => p.Metric == "hw.power").Should().OnlyContain(p => p.Unit == "W" && p.Kind == "gauge" && p.Value >= 0)
            .And.Contain(p => p.Attributes["hw.type"] == "gpu" && Math.Abs(p.Value - GpuJoulesTrain / Seconds(run.Train)) < 1e-6);
        received.Where(p => p.Metric == "greentrain.emissions").Should().NotBeEmpty()
            .And.OnlyContain(p => p.Unit == "g" && p.Kind == "sum" && p.Monotonic && p.Value > 0);
        received.Should().ContainSingle(p => p.Metric == "greentrain.intensity" && p.Attributes["greentrain.region"] == "DE")
            .Which.Should().Match<OtlpPoint>(p => p.Unit == "g/kWh" && p.Kind == "gauge" && Math.Abs(p.Value - MeanOver(run.Forecast, run.Evaluate)) < 0.5);
    }

    private sealed record MeteredRun(
        string Experiment, EnergyWindow Train, EnergyWindow Evaluate, SchedulerSeries Forecast, double RamTotalGb, DateTimeOffset MeterCreated);

    /// <summary>
    /// Starts the service's composition, then a metered run: a train and an evaluate window from the Trainer's meter,
    /// published to the store as a worker does; the service's exporter turns them into metrics and the provider flushes.
    /// </summary>
    private static async Task<MeteredRun> RunAsync(Action<WebApplicationBuilder> configure)
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var experiment = SharedStoreServers.UniqueId("metrics");
        var forecast = await CacheSchedulerForecastAsync(store);
        await using var telemetry = ComposeTelemetryService(server.ConnectionString, configure);
        var meterProvider = telemetry.Services.GetRequiredService<MeterProvider>();
        var exporter = telemetry.Services.GetRequiredService<EnergyWindowExporter>();
        (await exporter.ExportNewWindowsAsync()).Should().Be(0); // the service is up before the run starts

        var nvml = new FakeNvmlBinding();
        var factory = new EnergyMeterFactory(new EnergyOptions { CpuTdpWatts = 100 }, () => nvml);
        var meterCreated = DateTimeOffset.UtcNow;
        var windows = new List<EnergyWindow>();
        using var meter = factory.CreateMeter(experiment, "run-1", windows.Add);
        var publisher = new StoreEnergyWindowPublisher(store);
        await publisher.PublishRunInfoAsync(factory.DescribeRun(experiment, "run-1", meter.Sources) with { Region = "DE" });
        meter.Open(EnergyPhase.Train, 0);
        meter.Flush(); // the GPU baseline is read in the background
        BusyCpu(TimeSpan.FromMilliseconds(300));
        nvml.EnergyMillijoules[0] += (ulong)(GpuJoulesTrain * 1000);
        meter.Switch(EnergyPhase.Evaluate, 10);
        meter.Flush(); // so the evaluate energy below is not read into the train window
        BusyCpu(TimeSpan.FromMilliseconds(100));
        nvml.EnergyMillijoules[0] += (ulong)(GpuJoulesEvaluate * 1000);
        meter.Close(10);
        var (train, evaluate) = (windows[0], windows[1]);
        await publisher.PublishAsync(train);
        await publisher.PublishAsync(evaluate);

        (await exporter.ExportNewWindowsAsync()).Should().Be(2);
        meterProvider.ForceFlush().Should().BeTrue("every exporter of the service's MeterProvider took the metrics");
        return new MeteredRun(experiment, train, evaluate, forecast, factory.Host.RamTotalGb, meterCreated);
    }

    private const double MemoryWattsPerGb = 3.0 / 8.0;

    /// <summary>Telemetry as Program.cs builds it; the test's additions (configuration, an exporter) go in first.</summary>
    private static WebApplication ComposeTelemetryService(string storeConnection, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "GreenTrain.Telemetry", EnvironmentName = "Testing" });
        builder.Configuration[$"ConnectionStrings:{StoreExtensions.StoreConnectionName}"] = storeConnection;
        configure(builder);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        return builder.Build();
    }

    /// <summary>The Scheduler's forecast refresh for DE (the default trace replay), cached in the store as the service does.</summary>
    private static async Task<SchedulerSeries> CacheSchedulerForecastAsync(GreenTrainStore store)
    {
        var options = new CarbonOptions { Regions = ["DE"] };
        var scheduler = new ForecastService(new TraceReplayProvider(options.Replay, TimeProvider.System), new ForecastCache(store),
            TimeProvider.System, options, NullLogger<ForecastService>.Instance);
        return (await scheduler.RefreshAsync("DE", CancellationToken.None))!.Series;
    }

    /// <summary>Time-weighted mean of the Scheduler's forecast over a window.</summary>
    private static double MeanOver(SchedulerSeries forecast, EnergyWindow window)
    {
        double weighted = 0, seconds = 0;
        foreach (var interval in forecast.Intervals)
        {
            var overlap = (Min(interval.End, window.End) - Max(interval.Start, window.Start)).TotalSeconds;
            if (overlap > 0)
            {
                weighted += interval.GramsPerKWh * overlap;
                seconds += overlap;
            }
        }
        seconds.Should().BeGreaterThan(0, "the forecast covers the window");
        return weighted / seconds;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static double Seconds(EnergyWindow window) => (window.End - window.Start).TotalSeconds;

    private static void BusyCpu(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var x = 1.0;
        while (clock.Elapsed < duration)
        {
            x = Math.Sqrt(x + 1.0);
        }
        GC.KeepAlive(x);
    }

    private sealed record ExportedPoint(double Value, Dictionary<string, object?> Tags);

    private static MetricSnapshot Metric(List<MetricSnapshot> exported, string name)
    {
        exported.Should().Contain(m => m.Name == name, $"{name} must reach the exporter");
        return exported.Last(m => m.Name == name);
    }

    private static List<ExportedPoint> AllPoints(MetricSnapshot metric) => metric.MetricPoints.Select(point =>
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }
        return new ExportedPoint(metric.MetricType == MetricType.DoubleGauge ? point.GetGaugeLastValueDouble() : point.GetSumDouble(), tags);
    }).ToList();

    private static List<ExportedPoint> Points(MetricSnapshot metric, string experiment) =>
        AllPoints(metric).Where(p => (string?)p.Tags.GetValueOrDefault("greentrain.experiment") == experiment).ToList();

    private static ExportedPoint Single(List<ExportedPoint> points, string type, string phase) =>
        points.Single(p => (string?)p.Tags["hw.type"] == type && (string?)p.Tags["greentrain.phase"] == phase);
}
