using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Tests.Apis;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Energy.Hosting;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Tests.Accounting;

/// <summary>The prediction the Scheduler plans with: made from the windows the Trainer published, stored under the shared contract.</summary>
public sealed class PredictionPublisherTests
{
    [Fact]
    public async Task The_prediction_made_from_published_windows_is_stored_where_the_scheduler_reads_it()
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var reports = ReportsApiTests.Reports(store);
        var publisher = new PredictionPublisher(store, reports);
        var trainer = new StoreEnergyWindowPublisher(store);
        await trainer.PublishRunInfoAsync(ReportFixtures.Run);

        var before = await publisher.PublishAsync("exp-1");
        foreach (var window in ReportFixtures.Windows())
        {
            await trainer.PublishAsync(window);
        }
        var published = await publisher.PublishAsync("exp-1");
        var stored = RunPrediction.TryParse(await store.Database.StringGetAsync(StoreKeys.EnergyPrediction("exp-1")));

        before.Should().BeNull("there is nothing to extrapolate from before the first windows");
        var report = (await reports.BuildAsync("exp-1"))!.Value.Report;
        published.Should().Be(report.Prediction).And.NotBeNull();
        stored.Should().Be(published, "the Scheduler reads the same figures through the shared contract");
        stored!.RemainingEnergyKwh.Should().BeApproximately(stored.EnergyKwh - report.EnergyKwh, 1e-12);
    }
}
