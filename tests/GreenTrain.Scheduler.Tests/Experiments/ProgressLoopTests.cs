using System.Net.Http.Json;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>
/// The loop between Scheduler and worker through the real store: the spec and control keys the worker reads,
/// and the worker's progress hash (written here with the worker's own store class) folded back into the record.
/// </summary>
public class ProgressLoopTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(SchedulerHost Host, string Id)> SubmitAndDispatchAsync(IStoreServer store, FakeTimeProvider time, double hours = 2)
    {
        var host = await SchedulerHost.StartAsync(store, time);
        var spec = "{\"name\":\"digits-mlp\",\"carbon\":{\"deadline\":\"" + Now.AddHours(hours).ToString("O") + "\",\"allowedRegions\":[\"DE\"],\"pausable\":true}}";
        var created = await host.Client.PostAsync($"/experiments?estimatedHours={hours}&estimatedKWh=1",
            new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        return (host, id);
    }

    [Fact]
    public async Task A_start_is_queued_only_after_the_spec_the_worker_reads_and_a_pause_reaches_the_busy_worker_through_control()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var (host, id) = await SubmitAndDispatchAsync(store, new FakeTimeProvider(Now));
        await using var _ = host;
        var shared = host.Get<SharedExperiments>();

        var specJson = await shared.ReadSpecAsync(id);
        specJson.Should().NotBeNull("the worker taking the queued Start needs the spec");
        ExperimentSpecJson.Parse(specJson!).Spec!.Name.Should().Be("digits-mlp");
        (await host.Get<CommandProducer>().GetCountsAsync("DE")).Pending.Should().Be(1);

        await host.Client.PostAsync($"/experiments/{id}/pause", null);

        var control = await shared.GetControlAsync(id);
        control!.Desired.Should().Be(DesiredRunState.Pause);
    }

    [Fact]
    public async Task A_completion_the_worker_reports_marks_the_experiment_completed_and_nothing_more_is_queued()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        var (host, id) = await SubmitAndDispatchAsync(store, time);
        await using var _ = host;
        await host.Get<SharedExperiments>().WriteProgressAsync(
            new ExperimentProgress(id, ExperimentRunState.Completed, Step: 300, TotalSteps: 300, BestMetric: 0.95, UpdatedAt: Now));

        time.Advance(TimeSpan.FromHours(3)); // past the plan's end: without the report it would be planned again
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var view = await host.Client.GetFromJsonAsync<JsonElement>($"/experiments/{id}");
        view.GetProperty("state").GetString().Should().Be("completed");
        view.GetProperty("progress").GetDouble().Should().Be(1);
        view.GetProperty("bestMetric").GetDouble().Should().Be(0.95);
        (await host.Get<CommandProducer>().GetCountsAsync("DE")).Pending.Should().Be(1, "only the Start: a finished run gets no pause");
    }

    [Fact]
    public async Task A_failure_the_worker_reports_ends_the_experiment_with_its_reason()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var (host, id) = await SubmitAndDispatchAsync(store, new FakeTimeProvider(Now));
        await using var _ = host;
        await host.Get<SharedExperiments>().WriteProgressAsync(
            new ExperimentProgress(id, ExperimentRunState.Failed, Message: "dataset 'nope' not found", UpdatedAt: Now));

        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var record = await host.Get<ExperimentStore>().GetAsync(id);
        record!.State.Should().Be(ExperimentState.Failed);
        record.Message.Should().Contain("nope");
    }

    [Fact]
    public async Task Replans_plan_only_the_work_the_worker_has_not_done()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        var (host, id) = await SubmitAndDispatchAsync(store, time, hours: 2);
        await using var _ = host;
        await host.Get<SharedExperiments>().WriteProgressAsync(
            new ExperimentProgress(id, ExperimentRunState.Running, Step: 150, TotalSteps: 200, UpdatedAt: Now));

        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);

        var record = await host.Get<ExperimentStore>().GetAsync(id);
        record!.Progress.Should().Be(0.75);
        var planned = record.Plan!.Intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.End - i.Start));
        planned.Should().Be(TimeSpan.FromMinutes(30), "a quarter of two hours is left, in 15-minute cells");
        record.FirstPlan!.Intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.End - i.Start)).Should().Be(TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task Replans_take_the_remaining_time_and_energy_from_telemetrys_prediction_over_the_submitters_guess()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        var (host, id) = await SubmitAndDispatchAsync(store, time, hours: 2);
        await using var _ = host;
        await host.Get<SharedExperiments>().WriteProgressAsync(
            new ExperimentProgress(id, ExperimentRunState.Running, Step: 100, TotalSteps: 200, UpdatedAt: Now));
        // What Telemetry publishes from the measured windows: the whole run takes 3 h and 0.5 kWh, not 2 h and 1 kWh.
        var prediction = new RunPrediction(StepsDone: 100, TotalSteps: 200, EnergyKwh: 0.5, DurationSeconds: 3 * 3600, EmissionsGrams: 150,
            RemainingEnergyKwh: 0.25, RemainingSeconds: 1.5 * 3600, Basis: "linear from the first 100 of 200 steps");
        await host.Get<GreenTrain.ServiceDefaults.Store.GreenTrainStore>().Database.StringSetAsync(GreenTrain.ServiceDefaults.Store.StoreKeys.EnergyPrediction(id), RunPrediction.Serialize(prediction));

        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);

        var record = await host.Get<ExperimentStore>().GetAsync(id);
        record!.Prediction.Should().Be(prediction);
        record.RemainingKWh.Should().BeApproximately(0.25, 1e-9);
        var planned = record.Plan!.Intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.End - i.Start));
        planned.Should().Be(TimeSpan.FromMinutes(90), "half of the predicted three hours is left, in 15-minute cells");
    }

    [Fact]
    public async Task A_run_that_outlasts_its_plan_runs_on_and_is_planned_again_from_its_pace_instead_of_paused()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        var (host, id) = await SubmitAndDispatchAsync(store, time, hours: 2); // due in 2 h: planned as one interval, now to +2 h
        await using var _ = host;
        var queue = host.Get<CommandProducer>();
        var shared = host.Get<SharedExperiments>();
        await shared.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 10, TotalSteps: 100, UpdatedAt: Now));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        // The plan is over and the worker is still at it (slower than estimated; it reported a moment ago).
        time.Advance(TimeSpan.FromHours(2.5));
        await shared.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 95, TotalSteps: 100, UpdatedAt: time.GetUtcNow()));
        var outlasted = await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        outlasted.ReplanNeeded.Should().BeTrue("it runs where no plan says so, so plans are rebuilt at once");
        (await queue.GetCountsAsync("DE")).Pending.Should().Be(1, "only the Start: no Pause for a run whose work merely took longer");
        (await host.Get<ExperimentStore>().GetAsync(id))!.State.Should().Be(ExperimentState.Running);

        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None); // replay's forecast reaches 45 min ahead
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        var replanned = await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var record = (await host.Get<ExperimentStore>().GetAsync(id))!;
        record.Plan!.Intervals[0].Start.Should().Be(time.GetUtcNow(), "the rest is planned from now, where it runs");
        replanned.ReplanNeeded.Should().BeFalse("the new plan covers now");
        record.State.Should().Be(ExperimentState.Running);
        (await queue.GetCountsAsync("DE")).Pending.Should().Be(1);
    }

    [Fact]
    public async Task A_running_experiment_nobody_trains_any_more_gets_its_resume_queued_again_but_not_while_a_worker_owns_it()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        var (host, id) = await SubmitAndDispatchAsync(store, time, hours: 2);
        await using var _ = host;
        var queue = host.Get<CommandProducer>();
        var db = host.Get<GreenTrain.ServiceDefaults.Store.GreenTrainStore>().Database;
        await host.Get<SharedExperiments>().WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 10, TotalSteps: 100, UpdatedAt: Now));
        await db.StringSetAsync(GreenTrain.ServiceDefaults.Store.StoreKeys.ExperimentOwner(id), "worker|cmd|token");
        // The worker took the Start (as a real one does before it trains): the pending list is empty again.
        await db.ListMoveAsync(GreenTrain.ServiceDefaults.Store.StoreKeys.QueuePending("DE"),
            GreenTrain.ServiceDefaults.Store.StoreKeys.QueueProcessing("DE"), StackExchange.Redis.ListSide.Right, StackExchange.Redis.ListSide.Left);

        time.Advance(TimeSpan.FromMinutes(2)); // silent for longer than the stall period, but its owner claim is alive
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        (await queue.GetCountsAsync("DE")).Pending.Should().Be(0, "a worker still owns it: no new command");

        await db.KeyDeleteAsync(GreenTrain.ServiceDefaults.Store.StoreKeys.ExperimentOwner(id)); // its worker died; the claim lapsed
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        (await queue.GetCountsAsync("DE")).Pending.Should().Be(1, "one Resume, not one per dispatch");
        (await host.Get<ExperimentStore>().GetAsync(id))!.State.Should().Be(ExperimentState.Running);
    }
}
