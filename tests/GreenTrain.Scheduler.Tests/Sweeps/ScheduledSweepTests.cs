using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Sweeps.Service;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Sweeps;

/// <summary>
/// A sweep posted to the real Scheduler, its trials planned and dispatched by the Scheduler's own services onto the
/// region's queue. The test plays the Trainer worker through the store records a worker writes (progress hash, energy
/// windows): the Scheduler tests carry no TorchSharp, and the Trainer's own tests show that a worker writes them.
/// </summary>
public class ScheduledSweepTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Settings = new() { ["Scheduler:DefaultHours"] = "0.25" };

    /// <summary>A made-up validation accuracy that a higher learning rate, a wider model and more steps all raise.</summary>
    private static double Accuracy(ExperimentSpec spec) =>
        0.5 + (spec.Training.Optimizer.LearningRate > 0.005 ? 0.2 : 0) + (spec.Model.Width == 32 ? 0.1 : 0) + spec.Training.Steps!.Value / 1000.0;

    [Fact]
    public async Task A_successive_halving_sweep_runs_its_trials_as_planned_experiments_and_reports_the_best()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: Settings);
        await using var watch = await SweepWatch.StartAsync(store, host.Get<SweepStore>());
        var deadline = Now.AddHours(6);

        var created = await host.Client.PostAsync("/sweeps", new StringContent(SweepBodies.SuccessiveHalving(deadline), Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var handled = new List<(string ExperimentId, double Joules)>();
        while (true)
        {
            var sweep = await watch.UntilAsync(id, r => r.IsFinished || Segments(r).Any(s => handled.All(h => h.ExperimentId != s.ExperimentId)),
                "a new trial submitted, or the end");
            if (sweep.IsFinished) break;
            var segment = Segments(sweep).First(s => handled.All(h => h.ExperimentId != s.ExperimentId));
            handled.Add((segment.ExperimentId, await RunAsWorkerAsync(host, time, segment)));
        }

        var done = await host.Get<SweepStore>().GetAsync(id);
        done!.State.Should().Be(SweepState.Completed, done.Message);
        // Four configurations at 10 steps, the best 1/3 (one) promoted to 30: five experiments, the promoted one a new experiment.
        var segments = Segments(done).ToList();
        segments.Should().HaveCount(5);
        segments.Select(s => s.ExperimentId).Should().OnlyHaveUniqueItems();
        segments.Count(s => s.Resource == 10).Should().Be(4);
        segments.Should().OnlyContain(s => s.State == "completed" && !s.Resumed && s.Deadline <= deadline);
        var promoted = segments.Single(s => s.Resource == 30);
        promoted.Deadline.Should().Be(deadline, "the last rung is due at the sweep's deadline");
        segments.Where(s => s.Resource == 10).Should().OnlyContain(s => s.Deadline < deadline, "earlier rungs leave room for the promotions");
        foreach (var (experimentId, joules) in handled)
        {
            segments.Single(s => s.ExperimentId == experimentId).Joules.Should().BeApproximately(joules, 1e-9, "paused windows are not billed");
        }

        var view = JsonDocument.Parse(await host.Client.GetStringAsync($"/sweeps/{id}")).RootElement;
        view.GetProperty("state").GetString().Should().Be("completed");
        view.GetProperty("experiments").GetInt32().Should().Be(5);
        var best = view.GetProperty("best");
        best.GetProperty("experimentId").GetString().Should().Be(promoted.ExperimentId);
        best.GetProperty("resource").GetInt32().Should().Be(30);
        best.GetProperty("metric").GetDouble().Should().BeApproximately(0.83, 1e-9);
        best.GetProperty("values").GetProperty("$.model.width").GetInt32().Should().Be(32);
        view.GetProperty("report").GetProperty("trials").GetArrayLength().Should().Be(4);
        view.GetProperty("report").GetProperty("totalKwh").GetDouble().Should().BeApproximately(handled.Sum(h => h.Joules) / 3.6e6, 1e-12);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_running_trial_at_once_and_submits_no_more()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: Settings);
        await using var watch = await SweepWatch.StartAsync(store, host.Get<SweepStore>());

        var created = await host.Client.PostAsync("/sweeps", new StringContent(SweepBodies.SuccessiveHalving(Now.AddHours(6)), Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var first = Segments(await watch.UntilAsync(id, r => Segments(r).Any(), "its first trial submitted")).Single();
        await PlanAndDispatchAsync(host, time, first.ExperimentId);

        var cancelled = await host.Client.PostAsync($"/sweeps/{id}/cancel", null);
        cancelled.StatusCode.Should().Be(HttpStatusCode.OK);

        var ended = await watch.UntilAsync(id, r => r.IsFinished, "the end");
        ended.State.Should().Be(SweepState.Cancelled);
        (await host.Get<ExperimentStore>().GetAsync(first.ExperimentId))!.State.Should().Be(ExperimentState.Cancelled);
        (await host.Get<SharedExperiments>().GetControlAsync(first.ExperimentId))!.Desired.Should().Be(DesiredRunState.Cancel, "the worker training it is told to stop");
        (await host.Get<ExperimentStore>().ListAsync()).Should().ContainSingle("no trial is submitted after the cancel");
    }

    private static IEnumerable<SweepSegmentEntry> Segments(SweepRecord sweep) => sweep.Trials.SelectMany(t => t.Segments);

    private static async Task PlanAndDispatchAsync(SchedulerHost host, FakeTimeProvider time, string experimentId)
    {
        foreach (var region in new[] { "DE", "FR", "GB" })
        {
            await host.Get<ForecastService>().RefreshAsync(region, CancellationToken.None);
        }
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        var record = (await host.Get<ExperimentStore>().GetAsync(experimentId))!;
        record.Plan.Should().NotBeNull();
        record.Plan!.MeetsDeadline.Should().BeTrue();
        record.Plan.Intervals.Should().OnlyContain(i => i.End <= record.Spec.Carbon.Deadline!.Value);
        // The plan may wait for a cleaner hour: the clock goes there, as it would.
        if (record.Plan.Intervals[0].Start > time.GetUtcNow()) time.SetUtcNow(record.Plan.Intervals[0].Start);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        (await host.Get<ExperimentStore>().GetAsync(experimentId))!.State.Should().Be(ExperimentState.Running);
        (await host.Get<CommandProducer>().GetCountsAsync(record.Plan.Intervals[0].Region)).Pending.Should().BeGreaterThan(0);
    }

    /// <summary>What a worker does with the trial's Start: reads the spec the Scheduler wrote, trains (here: scores), pushes its energy windows, reports completed.</summary>
    private static async Task<double> RunAsWorkerAsync(SchedulerHost host, FakeTimeProvider time, SweepSegmentEntry segment)
    {
        await PlanAndDispatchAsync(host, time, segment.ExperimentId);
        var shared = host.Get<SharedExperiments>();
        var spec = ExperimentSpecJson.Parse((await shared.ReadSpecAsync(segment.ExperimentId))!).Spec!;
        spec.Training.Steps.Should().Be(segment.Resource, "the segment's step budget is the experiment's length");
        var accuracy = Accuracy(spec);
        var now = time.GetUtcNow();
        var db = host.Get<GreenTrainStore>().Database;
        var joules = 0.0;
        foreach (var (phase, cpu) in new[] { (EnergyPhase.Train, 40.0 * segment.Resource), (EnergyPhase.Paused, 7.0), (EnergyPhase.Evaluate, 3.0) })
        {
            var window = new EnergyWindow(segment.ExperimentId, "run-1", 0, now, now.AddSeconds(10), phase, 0, segment.Resource,
                [new DeviceEnergy("cpu:package-0", DeviceKind.Cpu, EnergyMethod.Counter, cpu, cpu / 10), new DeviceEnergy("memory", DeviceKind.Memory, EnergyMethod.Estimate, 1, 0.1)]);
            await db.ListRightPushAsync(StoreKeys.EnergyWindows(segment.ExperimentId), JsonSerializer.Serialize(window, EnergyFiles.JsonOptions));
            if (phase != EnergyPhase.Paused) joules += cpu + 1;
        }
        var metric = new JsonObject
        {
            ["final"] = new JsonObject { ["step"] = segment.Resource, ["loss"] = 1 - accuracy, ["accuracy"] = accuracy },
            ["test"] = new JsonObject { ["loss"] = 1 - accuracy, ["accuracy"] = accuracy - 0.01 },
        };
        await shared.WriteProgressAsync(new ExperimentProgress(segment.ExperimentId, ExperimentRunState.Completed, Step: segment.Resource,
            TotalSteps: segment.Resource, LastMetricJson: metric.ToJsonString(), BestMetric: accuracy, Region: "DE", UpdatedAt: now, Message: "completed"));
        return joules;
    }
}
