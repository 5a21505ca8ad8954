using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>
/// The whole loop through the real AppHost: an experiment submitted to the Scheduler's API is planned into the
/// clean hours of a replayed grid, started, paused through a dirty hour and resumed from its checkpoint by a
/// real trainer, finishes before its deadline, costs less carbon than running at once by Telemetry's own
/// report, and ends as accurate as the same spec trained straight.
/// </summary>
[Collection(LoopCollection.Name)]
public sealed class CarbonLoopTests(LoopFixture loop)
{
    // Long enough to outlast one clean hour (15 s) on one idle CPU thread, short enough for CI: ~7,000 steps of an MLP on the
    // digits, about 25 s on this machine's EPYC when idle. 150 epochs (10 s) outlasted a clean hour only under load: on an idle
    // machine the run fitted in one window, never paused with a checkpoint, and the resume could not be shown.
    private static string SpecJson(DateTimeOffset? deadline) => """
        {"name":"e2e-digits","dataset":{"kind":"digits","validationFraction":0.1,"testFraction":0.2},"model":{"kind":"mlp","width":512,"depth":3},
         "training":{"epochs":360,"batchSize":64,"precision":"fp32","seed":7,"evalEverySteps":500,
           "optimizer":{"kind":"adamw","learningRate":0.003,"weightDecay":0.01,"gradientClip":1.0},
           "schedule":{"kind":"cosine","warmupSteps":10,"minLearningRateFraction":0.1}},
         "checkpoint":{"everySeconds":3,"keepLast":2},
         "carbon":{"pausable":true,"allowedRegions":["DE"]DEADLINE}}
        """.Replace("DEADLINE", deadline is { } d ? $",\"deadline\":\"{d:O}\"" : "", StringComparison.Ordinal);

    [Fact]
    public async Task An_experiment_runs_only_in_clean_windows_pauses_and_resumes_and_emits_less_than_running_at_once()
    {
        var straight = StraightRun.BestAccuracyAsync(SpecJson(null), Path.Combine(loop.Folder, "straight-1"), CancellationToken.None);
        var deadline = DateTimeOffset.UtcNow + LoopFixture.TraceHours(20); // two to three clean hours of work, at half speed under CI load

        var (id, run) = await SubmitAndFollowAsync(deadline, onProgress: null);

        await AssertLoopAsync(id, run, deadline, await straight, pausedByPlan: true);
    }

    [Fact]
    public async Task An_experiment_whose_trainer_is_killed_mid_run_still_completes_from_its_checkpoint()
    {
        var straight = StraightRun.BestAccuracyAsync(SpecJson(null), Path.Combine(loop.Folder, "straight-2"), CancellationToken.None);
        var deadline = DateTimeOffset.UtcNow + LoopFixture.TraceHours(36); // room for the lease (30 s), a trainer restart and only every other hour clean
        var killed = false;
        var killedPid = 0;

        var (id, run) = await SubmitAndFollowAsync(deadline, async progress =>
        {
            if (!killed && progress is { State: ExperimentRunState.Running, CheckpointStep: > 0 })
            {
                killed = true;
                // No goodbye: the process dies mid-step, its lease and ownership lapse. Nobody restarts it by hand: the AppHost
                // brings the trainer back by itself, and the restarted trainer takes the requeued command.
                killedPid = await loop.ProcessIdOfAsync("trainer-de");
                using var trainer = Process.GetProcessById(killedPid);
                trainer.Kill(entireProcessTree: true);
            }
        });

        killed.Should().BeTrue("the run must have been killed once while training");
        (await loop.ProcessIdOfAsync("trainer-de")).Should().NotBe(killedPid, "the AppHost started a new trainer process");
        // Whether the plan also paused it depends on where the kill's recovery time fell; the first test covers pausing.
        await AssertLoopAsync(id, run, deadline, await straight, pausedByPlan: false);
    }

    private async Task<(string Id, ObservedRun Run)> SubmitAndFollowAsync(DateTimeOffset deadline, Func<ExperimentProgress, Task>? onProgress)
    {
        using var scheduler = loop.CreateSchedulerClient();
        // The planner is told 1.5 trace hours: more than one clean hour, so the plan itself pauses through a dirty one.
        var estimatedHours = LoopFixture.TraceHours(1.5).TotalHours;
        var created = await scheduler.PostAsync(FormattableString.Invariant($"/experiments?estimatedHours={estimatedHours}&estimatedKWh=0.01"),
            new StringContent(SpecJson(deadline), Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var shared = new SharedExperiments(new GreenTrainStore(loop.Store));
        var run = new ObservedRun();
        using var timeout = new CancellationTokenSource(deadline - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        while (!timeout.IsCancellationRequested)
        {
            var progress = await shared.ReadProgressAsync(id);
            run.Record(await ObservedRun.ViewAsync(scheduler, id, CancellationToken.None), progress);
            if (run.IsFinished)
            {
                return (id, run);
            }
            if (progress is not null && onProgress is not null)
            {
                await onProgress(progress);
            }
            // Polling the API and store (the state under test), not a guess at how long anything takes.
            await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        }
        return (id, run); // past the deadline and a minute: the assertions say what state it was left in
    }

    private async Task AssertLoopAsync(string id, ObservedRun run, DateTimeOffset deadline, double straightAccuracy, bool pausedByPlan)
    {
        var seen = "the worker's states seen:\n" + string.Join("\n", run.Timeline);
        run.State.Should().Be("completed", "{0}", seen);
        run.LastProgress!.UpdatedAt.Should().BeBefore(deadline, "it must finish before its deadline; {0}", seen);
        run.LastProgress.ResumedFromStep.Should().BePositive("its last attempt resumed from a checkpoint, not from step 0; {0}", seen);
        if (pausedByPlan)
        {
            run.WorkerStates.Should().Contain(ExperimentRunState.Paused, "the plan pauses it through a dirty hour; {0}", seen);
        }

        // It trained only inside planned intervals (give or take the moment a pause takes to reach the step loop).
        var windows = (await loop.Store.GetDatabase().ListRangeAsync(StoreKeys.EnergyWindows(id)))
            .Select(v => JsonSerializer.Deserialize<EnergyWindow>((string)v!, EnergyFiles.JsonOptions)!).ToList();
        var training = windows.Where(w => w.Phase is EnergyPhase.Train or EnergyPhase.Evaluate).ToList();
        training.Should().NotBeEmpty();
        training.Where(w => !run.Covers(w.Start, w.End, TimeSpan.FromSeconds(2.5)))
            .Should().BeEmpty("no training outside the plan's clean windows (plans seen: {0})",
                string.Join(", ", run.PlannedIntervals.Select(i => $"{i.Start:HH:mm:ss.f}-{i.End:HH:mm:ss.f}")));

        // Telemetry's report, priced with the same replayed intensity: less than the same windows run back to back.
        using var telemetry = loop.App.CreateHttpClient("telemetry");
        var report = await telemetry.GetFromJsonAsync<JsonElement>($"/experiments/{id}/report");
        var emitted = report.GetProperty("emissionsGrams").GetDouble();
        var atOnce = report.GetProperty("runAtOnce").GetProperty("emissionsGrams").GetDouble();
        emitted.Should().BePositive();
        if (pausedByPlan)
        {
            emitted.Should().BeLessThan(atOnce, "pausing through the dirty hour must pay off");
        }
        report.GetProperty("intensity").GetProperty("meanGramsPerKwh").GetDouble()
            .Should().BeLessThan((AlternatingTrace.CleanGramsMax + AlternatingTrace.DirtyGrams) / 2, "it was billed mostly at the clean hours' intensity");

        // Nothing was lost across pauses (and a kill): the best accuracy is within a point of the straight run.
        run.LastProgress.BestMetric!.Value.Should().BeApproximately(straightAccuracy, 0.01);
    }
}
