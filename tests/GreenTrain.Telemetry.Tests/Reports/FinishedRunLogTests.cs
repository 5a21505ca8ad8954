using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Apis;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Logging;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Telemetry.Tests.Reports;

/// <summary>The last line of a run's story, told by Telemetry from the windows the Trainer published and the worker's completion.</summary>
public sealed class FinishedRunLogTests
{
    [Fact]
    public async Task A_completed_run_is_told_once_with_its_measured_emissions_and_saving_against_running_at_once()
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var publisher = new StoreEnergyWindowPublisher(store);
        await publisher.PublishRunInfoAsync(ReportFixtures.Run);
        // An hour of training at dawn, paused through the morning, the second hour at the cleaner midday (German trace, June 2020).
        var dawn = new DateTimeOffset(2020, 6, 1, 5, 0, 0, TimeSpan.Zero);
        EnergyWindow[] windows =
        [
            TestWindows.Make(dawn, TimeSpan.FromHours(1), EnergyPhase.Train, 0, 500, 3_600_000, 720_000, 0, 0),
            TestWindows.Make(dawn.AddHours(1), TimeSpan.FromHours(4), EnergyPhase.Paused, 500, 500, 100_000, 0, 0, 1),
            TestWindows.Make(dawn.AddHours(5), TimeSpan.FromHours(1), EnergyPhase.Train, 500, 1000, 3_600_000, 720_000, 0, 2),
        ];
        foreach (var window in windows)
        {
            await publisher.PublishAsync(window);
        }
        var reports = ReportsApiTests.Reports(store);
        var logs = new CollectingLoggerProvider();
        var finished = new FinishedRunLog(store, reports, Options.Create(new AccountingOptions()), logs.CreateLogger<FinishedRunLog>());
        var progress = new SharedExperiments(store);

        await progress.WriteProgressAsync(new ExperimentProgress("exp-1", ExperimentRunState.Running, Step: 500, TotalSteps: 1000, UpdatedAt: dawn));
        (await finished.TellFinishedAsync()).Should().BeEmpty("it is still running");
        await progress.WriteProgressAsync(new ExperimentProgress("exp-1", ExperimentRunState.Completed, Step: 1000, TotalSteps: 1000, UpdatedAt: dawn.AddHours(6)));
        var told = await finished.TellFinishedAsync();
        var again = await finished.TellFinishedAsync();

        told.Should().Equal("exp-1");
        again.Should().BeEmpty("each finish is told once");
        var report = (await reports.BuildAsync("exp-1"))!.Value.Report;
        report.RunAtOnce!.SavedPercent.Should().BePositive("its pause moved the second hour to cleaner hours");
        logs.Messages.Should().ContainSingle().Which.Should().StartWith(FormattableString.Invariant(
            $"Experiment exp-1 finished: {report.EmissionsGrams:0.###} g CO2eq, {report.RunAtOnce.SavedPercent:0.#}% less than running at once ({report.RunAtOnce.EmissionsGrams:0.###} g)"));

        var restarted = new FinishedRunLog(store, reports, Options.Create(new AccountingOptions()), logs.CreateLogger<FinishedRunLog>());
        (await restarted.TellFinishedAsync()).Should().BeEmpty("a run that finished before Telemetry started is left to its report");
    }
}
