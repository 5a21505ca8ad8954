using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenTrain.EndToEnd.Tests.Loop;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using Xunit.Abstractions;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.EndToEnd.Tests.Sweeps;

/// <summary>
/// A successive-halving sweep posted to the running AppHost (the loop's replayed grid, real trainers): every trial is
/// an experiment the Scheduler plans into clean hours, each stops at its rung and waits there paused, the promoted one
/// resumes from its checkpoint, everything ends before its deadline, and the search emits less than the same trials
/// run at once by Telemetry's own reports. The table it prints is recorded in docs/benchmarks.md.
/// </summary>
[Collection(LoopCollection.Name)]
public sealed class SweepThroughAppHostTests(LoopFixture loop, ITestOutputHelper output)
{
    private const int FullSteps = 4500; // the promoted trial's last 3,000 steps outlast a clean hour (15 s) on one CPU thread
    private const int FirstRung = FullSteps / 3;

    private static string SweepJson(DateTimeOffset deadline) => $$$"""
        { "name": "e2e-sweep",
          "base": {"name":"e2e-sweep","dataset":{"kind":"digits","validationFraction":0.1,"testFraction":0.2},"model":{"kind":"mlp","width":512,"depth":3},
            "training":{"steps":{{{FullSteps}}},"batchSize":64,"precision":"fp32","seed":7,"evalEverySteps":500,
              "optimizer":{"kind":"adamw","learningRate":0.003,"weightDecay":0.01,"gradientClip":1.0},
              "schedule":{"kind":"cosine","warmupSteps":10,"minLearningRateFraction":0.1}},
            "checkpoint":{"everySeconds":3,"keepLast":2},
            "carbon":{"pausable":true,"allowedRegions":["DE"]}},
          "space": [
            { "path": "$.training.optimizer.learningRate", "kind": "choice", "values": [0.0003, 0.003] },
            { "path": "$.model.width", "kind": "choice", "values": [64, 512] } ],
          "metric": { "name": "accuracy" },
          "resource": { "unit": "steps", "min": {{{FirstRung}}}, "max": {{{FullSteps}}} },
          "algorithm": { "kind": "successiveHalving", "eta": 3, "trials": 4, "seed": 1 },
          "deadline": "{{{deadline:O}}}" }
        """;

    [Fact]
    public async Task A_sweep_runs_its_trials_in_clean_hours_resumes_the_promoted_one_and_emits_less_than_running_them_at_once()
    {
        var started = DateTimeOffset.UtcNow;
        var deadline = started + LoopFixture.TraceHours(30);
        using var scheduler = loop.CreateSchedulerClient();
        var created = await scheduler.PostAsync("/sweeps", new StringContent(SweepJson(deadline), Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var shared = new SharedExperiments(new GreenTrainStore(loop.Store));
        var runs = new Dictionary<string, ObservedRun>();
        var endedAt = new Dictionary<(string Experiment, int Resource), DateTimeOffset>();
        JsonElement sweep;
        using var timeout = new CancellationTokenSource(deadline - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        while (true)
        {
            sweep = await scheduler.GetFromJsonAsync<JsonElement>($"/sweeps/{id}", CancellationToken.None);
            foreach (var segment in Segments(sweep))
            {
                var experiment = segment.GetProperty("experimentId").GetString()!;
                if (!runs.TryGetValue(experiment, out var run)) runs[experiment] = run = new ObservedRun();
                run.Record(await ObservedRun.ViewAsync(scheduler, experiment, CancellationToken.None), await shared.ReadProgressAsync(experiment));
                if (segment.GetProperty("state").GetString() is "segment done" or "completed")
                {
                    endedAt.TryAdd((experiment, segment.GetProperty("resource").GetInt32()), DateTimeOffset.UtcNow);
                }
            }
            if (sweep.GetProperty("state").GetString() is "completed" or "failed" or "cancelled" || timeout.IsCancellationRequested) break;
            // Polling the API and store (the state under test), not a guess at how long anything takes.
            await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        }

        sweep.GetProperty("state").GetString().Should().Be("completed", sweep.GetProperty("message").ToString());
        var segments = Segments(sweep).ToList();
        segments.Should().HaveCount(5, "four configurations at the first rung, the best third (one) promoted");
        sweep.GetProperty("experiments").GetInt32().Should().Be(4, "one experiment per trial: the promotion resumed its own");
        var promoted = segments.Single(s => s.GetProperty("resource").GetInt32() == FullSteps);
        var promotedId = promoted.GetProperty("experimentId").GetString()!;
        promoted.GetProperty("resumed").GetBoolean().Should().BeTrue();
        promoted.GetProperty("state").GetString().Should().Be("completed");
        (await shared.ReadProgressAsync(promotedId))!.ResumedFromStep.Should().BeGreaterThanOrEqualTo(FirstRung, "it continued its rung's checkpoint, not step 0");
        foreach (var segment in segments)
        {
            var key = (segment.GetProperty("experimentId").GetString()!, segment.GetProperty("resource").GetInt32());
            endedAt.Should().ContainKey(key);
            endedAt[key].Should().BeOnOrBefore(segment.GetProperty("deadline").GetDateTimeOffset() + TimeSpan.FromSeconds(1), "each rung ends by its deadline");
        }
        runs.Values.Should().OnlyContain(r => r.SchedulerStates.Contains("paused"), "every trial waited paused, at its rung or through a dirty hour");

        // Moved in time like any run: no trial trained outside the clean windows its plans gave it.
        var emitted = 0.0;
        var atOnce = 0.0;
        using var telemetry = loop.App.CreateHttpClient("telemetry");
        foreach (var (experiment, run) in runs)
        {
            var windows = (await loop.Store.GetDatabase().ListRangeAsync(StoreKeys.EnergyWindows(experiment)))
                .Select(v => JsonSerializer.Deserialize<EnergyWindow>((string)v!, EnergyFiles.JsonOptions)!)
                .Where(w => w.Phase is EnergyPhase.Train or EnergyPhase.Evaluate).ToList();
            windows.Should().NotBeEmpty();
            windows.Where(w => !run.Covers(w.Start, w.End, TimeSpan.FromSeconds(2.5))).Should().BeEmpty($"{experiment} trains only in its planned intervals");
            // Telemetry prices the run-at-once counterfactual once it has taken in the run's end (a trial cancelled as the
            // sweep ended may be a moment behind): the report is read again until it has it.
            var report = await telemetry.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
            for (var reads = 0; report.GetProperty("runAtOnce").ValueKind != JsonValueKind.Object && reads < 200; reads++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
                report = await telemetry.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
            }
            report.GetProperty("runAtOnce").ValueKind.Should().Be(JsonValueKind.Object, $"Telemetry prices {experiment} as if run at once");
            emitted += report.GetProperty("emissionsGrams").GetDouble();
            atOnce += report.GetProperty("runAtOnce").GetProperty("emissionsGrams").GetDouble();
        }
        // The table first, so a failing run shows its figures too.
        var wall = (DateTimeOffset.UtcNow - started).TotalSeconds;
        output.WriteLine("| experiments | segments | resumed | every rung by its deadline | g CO2eq (Telemetry) | run at once g | saved | trace hours | wall s |");
        output.WriteLine("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {runs.Count} | {segments.Count} | {segments.Count(s => s.GetProperty("resumed").GetBoolean())} | yes | {emitted:F4} | {atOnce:F4} | {100 * (1 - emitted / atOnce):F1} % | {wall * LoopFixture.SpeedUp / 3600:F1} | {wall:F0} |"));

        emitted.Should().BePositive();
        emitted.Should().BeLessThan(atOnce, "planning the trials into clean hours must pay off over running them as they came");
    }

    private static IEnumerable<JsonElement> Segments(JsonElement sweep) =>
        sweep.GetProperty("trials").EnumerateArray().SelectMany(t => t.GetProperty("segments").EnumerateArray());
}
