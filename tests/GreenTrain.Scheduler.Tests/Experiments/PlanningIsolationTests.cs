using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>One record the planner cannot plan (written to the store by an older version, or poisoned) must not stop everyone else's plans.</summary>
public class PlanningIsolationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static ExperimentRecord Record(string id, double hours) => new()
    {
        Id = id,
        Spec = new ExperimentSpec { Name = id, Carbon = new CarbonSpec { Deadline = Now.AddHours(4), AllowedRegions = ["DE"] } },
        SubmittedAt = Now,
        UpdatedAt = Now,
        EstimatedHours = hours,
        EstimatedKWh = 1,
    };

    [Theory]
    [InlineData(1e308)]
    [InlineData(1e15)]
    public async Task A_job_the_planner_cannot_plan_fails_with_a_note_and_the_others_are_planned(double poisonedHours)
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time);
        var experiments = host.Get<ExperimentStore>();
        await experiments.SaveAsync(Record("exp-good-1", 1));
        await experiments.SaveAsync(Record("exp-poisoned", poisonedHours));
        await experiments.SaveAsync(Record("exp-good-2", 2));
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);

        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);

        foreach (var id in new[] { "exp-good-1", "exp-good-2" })
        {
            var good = await experiments.GetAsync(id);
            good!.Plan!.Intervals.Should().NotBeEmpty($"{id} must be planned despite its poisoned neighbour");
            good.State.Should().Be(ExperimentState.Queued);
        }
        var view = JsonDocument.Parse(await host.Client.GetStringAsync("/experiments/exp-poisoned")).RootElement;
        view.GetProperty("state").GetString().Should().Be("failed");
        view.GetProperty("planNote").GetString().Should().Contain("cannot be planned");
        view.GetProperty("message").GetString().Should().Contain("cannot be planned");
    }
}
