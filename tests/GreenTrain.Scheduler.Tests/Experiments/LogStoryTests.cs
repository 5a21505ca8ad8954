using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Logging;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>
/// The Scheduler's log tells an experiment's life in plain words, as a user following it in the dashboard reads it:
/// planned, started, paused because intensity rose, resumed, finished. Real Scheduler, real store, a replayed trace
/// whose hours alternate clean and dirty, the clock moved by the test and the worker's reports written as a worker does.
/// </summary>
public sealed class LogStoryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTime TraceStart = new(2020, 3, 2, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Directory.CreateTempSubdirectory("greentrain-story-").FullName;

    /// <summary>Even hours clean (from 40 g/kWh, a quarter gram dirtier each quarter hour so the earliest are cheapest), odd hours 600 g/kWh.</summary>
    private string WriteTrace()
    {
        var csv = new StringBuilder("Time,Carbon Intensity\n");
        for (var quarter = 0; quarter < 7 * 24 * 4; quarter++)
        {
            var grams = quarter / 4 % 2 == 0 ? 40 + 0.25 * quarter : 600;
            csv.Append(CultureInfo.InvariantCulture, $"{TraceStart.AddMinutes(15 * quarter):yyyy-MM-dd HH:mm:ss},{grams}\n");
        }
        var path = Path.Combine(_folder, "alternating.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public async Task The_log_tells_planned_started_paused_because_intensity_rose_resumed_and_finished()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        var logs = new CollectingLoggerProvider();
        await using var host = await SchedulerHost.StartAsync(store, time, logs: logs, extra: new Dictionary<string, string?>
        {
            ["Carbon:Regions:0"] = "DE",
            ["Carbon:Replay:Files:DE"] = WriteTrace(),
            ["Carbon:Replay:TraceStart"] = TraceStart.ToString("O"),
            ["Carbon:Replay:SpeedUp"] = "1", // trace hours are wall hours: the story reads in round times
            ["Logging:LogLevel:GreenTrain"] = "Information",
        });
        var shared = host.Get<SharedExperiments>();
        var dispatch = host.Get<DispatchService>();
        // A worker serves DE, as in the running system (its presence entry), so the fake clock's jumps are not read as a dead region.
        await host.Get<GreenTrain.ServiceDefaults.Store.CommandQueue.WorkerPresence>().AnnounceAsync("DE", "worker-de");

        // An hour and a half of work due in six hours: the first clean hour, then half of the next clean one.
        var created = await host.Client.PostAsync("/experiments?estimatedHours=1.5&estimatedKWh=1", new StringContent(
            "{\"name\":\"story\",\"carbon\":{\"deadline\":\"" + Now.AddHours(6).ToString("O") + "\",\"allowedRegions\":[\"DE\"],\"pausable\":true}}",
            Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        await dispatch.DispatchAsync(CancellationToken.None);

        // (The worker's reports go in before the clock moves: Quartz's own triggers may dispatch as soon as it has.)
        await shared.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 66, TotalSteps: 100, UpdatedAt: Now.AddMinutes(59)));
        time.Advance(TimeSpan.FromHours(1)); // the clean hour is over; the worker trained two thirds
        await dispatch.DispatchAsync(CancellationToken.None);
        await shared.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Paused, Step: 66, TotalSteps: 100, CheckpointStep: 66, UpdatedAt: time.GetUtcNow()));

        time.Advance(TimeSpan.FromHours(1)); // clean again
        await dispatch.DispatchAsync(CancellationToken.None);
        await shared.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Completed, Step: 100, TotalSteps: 100, BestMetric: 0.97,
            UpdatedAt: time.GetUtcNow().AddMinutes(30)));
        time.Advance(TimeSpan.FromMinutes(30));
        await dispatch.DispatchAsync(CancellationToken.None);

        var story = logs.Messages.Where(m => m.StartsWith($"Experiment {id} ", StringComparison.Ordinal)).ToList();
        story.Should().HaveCount(5, string.Join("\n", story));
        story[0].Should().StartWith($"Experiment {id} planned in DE 09:00:00-10:00:00, DE 11:00:00-11:30:00:");
        story[1].Should().Be($"Experiment {id} started in DE: its planned clean window opened (40 g/kWh)");
        story[2].Should().Be($"Experiment {id} paused in DE at 66% because intensity rose to 600 g/kWh (from 41 g/kWh); it resumes in DE at 11:00:00");
        story[3].Should().Be($"Experiment {id} resumed in DE from its checkpoint at 66%: intensity is down to 42 g/kWh");
        story[4].Should().MatchRegex($"^Experiment {id} finished \\(best metric 0\\.97\\): its plan expected [0-9.]+ g CO2eq, [0-9.]+% less than running at once");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
