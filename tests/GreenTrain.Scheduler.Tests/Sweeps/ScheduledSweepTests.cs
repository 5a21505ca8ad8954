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
    private static double Accuracy(ExperimentSpec spec, long step) =>
        0.5 + (spec.Training.Optimizer.LearningRate > 0.005 ? 0.2 : 0) + (spec.Model.Width == 32 ? 0.1 : 0) + step / 1000.0;

    [Fact]
    public async Task A_successive_halving_sweep_runs_each_trial_as_one_planned_experiment_and_resumes_the_promoted_one()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: Settings);
        await using var watch = await SweepWatch.StartAsync(store, host.Get<SweepStore>());
        var deadline = Now.AddHours(6);

        var created = await host.Client.PostAsync("/sweeps", new StringContent(SweepBodies.SuccessiveHalving(deadline), Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var handled = new List<(string ExperimentId, int Resource, double Joules)>();
        bool IsNew(SweepSegmentEntry s) => handled.All(h => (h.ExperimentId, h.Resource) != (s.ExperimentId, s.Resource));
        while (true)
        {
            var sweep = await watch.UntilAsync(id, r => r.IsFinished || Segments(r).Any(IsNew), "a new segment submitted, or the end");
            if (sweep.IsFinished) break;
            var segment = Segments(sweep).First(IsNew);
            handled.Add((segment.ExperimentId, segment.Resource, await RunAsWorkerAsync(host, time, segment)));
        }

        var done = await host.Get<SweepStore>().GetAsync(id);
        done!.State.Should().Be(SweepState.Completed, done.Message);
        // Four configurations at 10 steps, the best 1/3 (one) promoted to 30: five segments on four experiments, the
        // promoted trial's second segment on the experiment of its first, continued from its checkpoint.
        var segments = Segments(done).ToList();
        segments.Should().HaveCount(5);
        segments.Select(s => s.ExperimentId).Distinct().Should().HaveCount(4);
        segments.Count(s => s.Resource == 10).Should().Be(4);
        segments.Where(s => s.Resource == 10).Should().OnlyContain(s => s.State == "segment done" && !s.Resumed && s.Steps == 10);
        var promoted = segments.Single(s => s.Resource == 30);
        promoted.Should().Match<SweepSegmentEntry>(s => s.State == "completed" && s.Resumed && s.Steps == 30);
        segments.Should().Contain(s => s.Resource == 10 && s.ExperimentId == promoted.ExperimentId, "the promotion resumed the trial's own experiment");
        promoted.Deadline.Should().Be(deadline, "the last rung is due at the sweep's deadline");
        segments.Where(s => s.Resource == 10).Should().OnlyContain(s => s.Deadline < deadline, "earlier rungs leave room for the promotions");
        foreach (var (experimentId, resource, joules) in handled)
        {
            segments.Single(s => s.ExperimentId == experimentId && s.Resource == resource).Joules.Should().BeApproximately(joules, 1e-9,
                "each segment is billed its own windows, paused ones excluded");
        }
        var experiments = host.Get<ExperimentStore>();
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None); // the leader folds in the worker's end
        (await experiments.GetAsync(promoted.ExperimentId))!.State.Should().Be(ExperimentState.Completed);
        foreach (var stopped in segments.Where(s => s.ExperimentId != promoted.ExperimentId))
        {
            (await experiments.GetAsync(stopped.ExperimentId))!.State.Should().Be(ExperimentState.Cancelled, "a trial the search did not promote ends with it");
        }

        var view = JsonDocument.Parse(await host.Client.GetStringAsync($"/sweeps/{id}")).RootElement;
        view.GetProperty("state").GetString().Should().Be("completed");
        view.GetProperty("experiments").GetInt32().Should().Be(4);
        view.GetProperty("segments").GetInt32().Should().Be(5);
        var best = view.GetProperty("best");
        best.GetProperty("experimentId").GetString().Should().Be(promoted.ExperimentId);
        best.GetProperty("resource").GetInt32().Should().Be(30);
        best.GetProperty("metric").GetDouble().Should().BeApproximately(0.83, 1e-9);
        best.GetProperty("values").GetProperty("$.model.width").GetInt32().Should().Be(32);
        view.GetProperty("report").GetProperty("trials").GetArrayLength().Should().Be(4);
        view.GetProperty("report").GetProperty("totalKwh").GetDouble().Should().BeApproximately(handled.Sum(h => h.Joules) / 3.6e6, 1e-12);
    }

    [Fact]
    public async Task A_trial_waiting_at_its_rung_is_not_resumed_until_the_sweep_promotes_it()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: Settings);
        var trial = ExperimentSpecJson.Parse(SweepBodies.Base).Spec!;
        var submitted = await host.Get<ExperimentSubmitter>().SubmitAsync(trial with
        {
            Training = trial.Training with { Steps = 30 },
            Carbon = new CarbonSpec { Pausable = true, AllowedRegions = ["DE"], Deadline = Now.AddHours(6) },
        }, segment: new SegmentLimit(SegmentUnit.Steps, 10), segmentDeadline: Now.AddHours(2));
        var shared = host.Get<SharedExperiments>();
        (await shared.ReadSegmentLimitAsync(submitted.Id)).Should().Be(new SegmentLimit(SegmentUnit.Steps, 10), "the worker reads where to stop");
        var record = await PlanAndDispatchAsync(host, time, submitted.Id);
        record.Plan!.Intervals[^1].End.Should().BeOnOrBefore(Now.AddHours(2), "the plan meets the segment's deadline, not only the spec's");

        await shared.WriteProgressAsync(new ExperimentProgress(submitted.Id, ExperimentRunState.Paused, Step: 10, TotalSteps: 30, Region: "DE",
            UpdatedAt: time.GetUtcNow(), Message: "segment end", StoppedAt: new SegmentLimit(SegmentUnit.Steps, 10)));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        var waiting = (await host.Get<ExperimentStore>().GetAsync(submitted.Id))!;
        waiting.State.Should().Be(ExperimentState.Paused);
        waiting.AwaitsNextSegment.Should().BeTrue();
        var pending = (await host.Get<CommandProducer>().GetCountsAsync("DE")).Pending;
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(30));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        (await host.Get<ExperimentStore>().GetAsync(submitted.Id))!.State.Should().Be(ExperimentState.Paused, "no plan resumes a run waiting at its limit");
        (await host.Get<CommandProducer>().GetCountsAsync("DE")).Pending.Should().Be(pending, "no Resume was queued");

        await host.Get<ExperimentSegments>().ContinueAsync(submitted.Id, null, Now.AddHours(6));
        (await shared.ReadSegmentLimitAsync(submitted.Id)).Should().BeNull("the last rung trains to the spec's end");
        await PlanAndDispatchAsync(host, time, submitted.Id);
        (await host.Get<CommandProducer>().GetCountsAsync("DE")).Pending.Should().BeGreaterThan(pending, "the promotion resumed it");
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

    private static async Task<ExperimentRecord> PlanAndDispatchAsync(SchedulerHost host, FakeTimeProvider time, string experimentId)
    {
        foreach (var region in new[] { "DE", "FR", "GB" })
        {
            await host.Get<ForecastService>().RefreshAsync(region, CancellationToken.None);
        }
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        var record = (await host.Get<ExperimentStore>().GetAsync(experimentId))!;
        record.Plan.Should().NotBeNull();
        record.Plan!.MeetsDeadline.Should().BeTrue();
        record.Plan.Intervals.Should().OnlyContain(i => i.End <= record.Deadline!.Value);
        // The plan may wait for a cleaner hour: the clock goes there, as it would.
        if (record.Plan.Intervals[0].Start > time.GetUtcNow()) time.SetUtcNow(record.Plan.Intervals[0].Start);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        (await host.Get<ExperimentStore>().GetAsync(experimentId))!.State.Should().Be(ExperimentState.Running);
        (await host.Get<CommandProducer>().GetCountsAsync(record.Plan.Intervals[0].Region)).Pending.Should().BeGreaterThan(0);
        return record;
    }

    /// <summary>
    /// What a worker does with the trial's Start or Resume: reads the spec and segment limit the Scheduler wrote, trains
    /// (here: scores) from the step its last segment reached to the limit or the spec's end, pushes its energy windows, and
    /// reports paused at the limit or completed.
    /// </summary>
    private static async Task<double> RunAsWorkerAsync(SchedulerHost host, FakeTimeProvider time, SweepSegmentEntry segment)
    {
        await PlanAndDispatchAsync(host, time, segment.ExperimentId);
        var shared = host.Get<SharedExperiments>();
        var spec = ExperimentSpecJson.Parse((await shared.ReadSpecAsync(segment.ExperimentId))!).Spec!;
        spec.Training.Steps.Should().Be(30, "every segment trains on the schedule of the whole trial");
        var limit = await shared.ReadSegmentLimitAsync(segment.ExperimentId);
        var from = (await shared.ReadProgressAsync(segment.ExperimentId))?.Step ?? 0;
        from.Should().Be(segment.Resumed ? 10 : 0, "a promoted segment continues where its rung stopped");
        var to = limit?.Step ?? spec.Training.Steps!.Value;
        to.Should().Be(segment.Resource);
        var accuracy = Accuracy(spec, to);
        var now = time.GetUtcNow();
        var db = host.Get<GreenTrainStore>().Database;
        var joules = 0.0;
        foreach (var (phase, cpu) in new[] { (EnergyPhase.Train, 40.0 * (to - from)), (EnergyPhase.Paused, 7.0), (EnergyPhase.Evaluate, 3.0) })
        {
            var window = new EnergyWindow(segment.ExperimentId, "run-1", 0, now, now.AddSeconds(10), phase, from, to,
                [new DeviceEnergy("cpu:package-0", DeviceKind.Cpu, EnergyMethod.Counter, cpu, cpu / 10), new DeviceEnergy("memory", DeviceKind.Memory, EnergyMethod.Estimate, 1, 0.1)]);
            await db.ListRightPushAsync(StoreKeys.EnergyWindows(segment.ExperimentId), JsonSerializer.Serialize(window, EnergyFiles.JsonOptions));
            if (phase != EnergyPhase.Paused) joules += cpu + 1;
        }
        var metric = new JsonObject
        {
            ["final"] = new JsonObject { ["step"] = to, ["loss"] = 1 - accuracy, ["accuracy"] = accuracy },
            ["test"] = limit is null ? new JsonObject { ["loss"] = 1 - accuracy, ["accuracy"] = accuracy - 0.01 } : null,
        };
        await shared.WriteProgressAsync(new ExperimentProgress(segment.ExperimentId, limit is null ? ExperimentRunState.Completed : ExperimentRunState.Paused,
            Step: to, TotalSteps: 30, LastMetricJson: metric.ToJsonString(), BestMetric: accuracy, Region: "DE", UpdatedAt: now,
            Message: limit is null ? "completed" : "segment end", StoppedAt: limit));
        return joules;
    }
}
