using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Apis;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Tests.Apis;

/// <summary>Windows published by the Trainer's publisher into a real store, read back by the report endpoints.</summary>
public sealed class ReportsApiTests
{
    [Theory]
    [MemberData(nameof(StoreServers.Kinds), MemberType = typeof(StoreServers))]
    public async Task Endpoints_report_on_the_windows_the_trainer_published(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var publisher = new StoreEnergyWindowPublisher(store);
        await publisher.PublishRunInfoAsync(ReportFixtures.Run);
        foreach (var window in ReportFixtures.Windows())
        {
            await publisher.PublishAsync(window);
        }
        var reports = Reports(store);

        var report = await ReportsApi.GetReportAsync("exp-1", reports, default);
        var csv = await ReportsApi.GetCsvAsync("exp-1", reports, default);
        var label = await ReportsApi.GetLabelAsync("exp-1", reports, default);
        var card = await ReportsApi.GetModelCardAsync("exp-1", reports, default);
        var prediction = await ReportsApi.GetPredictionAsync("exp-1", reports, default);

        var expected = ReportBuilder.Build(ReportFixtures.Windows(), ReportFixtures.Run, ReportFixtures.Germany, ReportFixtures.Accounting(1.0),
            new ReportSettings("local machine default (no overhead known)", Currency: "EUR", TrainingType: "fine-tuning"));
        report.Result.Should().BeOfType<Ok<EmissionsReport>>().Which.Value!.EmissionsGrams.Should().BeApproximately(expected.EmissionsGrams, 1e-9);
        csv.Result.Should().BeOfType<ContentHttpResult>().Which.ContentType.Should().Be("text/csv");
        ((ContentHttpResult)csv.Result).ResponseContent!.Split('\n')[0].Split(',').Should().Equal(CodeCarbonCsv.Columns);
        label.Result.Should().BeOfType<ContentHttpResult>().Which.ContentType.Should().Be("image/svg+xml");
        card.Result.Should().BeOfType<ContentHttpResult>().Which.ResponseContent.Should().StartWith("co2_eq_emissions:");
        prediction.Result.Should().BeOfType<Ok<RunPrediction>>().Which.Value!.TotalSteps.Should().Be(1000);
        (await store.Database.SortedSetRankAsync(StoreKeys.EnergyExperiments, "exp-1")).Should().NotBeNull();
    }

    [Fact]
    public async Task Unknown_and_malformed_experiments_get_problem_details()
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var reports = Reports(new GreenTrainStore(connection));

        var missing = await ReportsApi.GetReportAsync("never-ran", reports, default);
        var malformed = await ReportsApi.GetReportAsync("bad id*", reports, default);

        missing.Result.Should().BeOfType<ProblemHttpResult>().Which.StatusCode.Should().Be(404);
        malformed.Result.Should().BeOfType<ProblemHttpResult>().Which.StatusCode.Should().Be(400);
    }

    public static ExperimentReports Reports(GreenTrainStore store, AccountingOptions? options = null)
    {
        options ??= new AccountingOptions();
        var source = new TraceIntensitySource(new Dictionary<string, string> { ["DE"] = TestWindows.TracePath }, GreenTrain.ServiceDefaults.Carbon.Traces.TracePolicy.Utc);
        return new ExperimentReports(store, source, Options.Create(options));
    }
}
