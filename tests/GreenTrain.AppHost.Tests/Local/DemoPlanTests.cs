using GreenTrain.ServiceDefaults.Carbon;
using System.Globalization;
using GreenTrain.AppHost.Local;
using GreenTrain.Scheduler.Demo;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.AppHost.Tests.Local;

/// <summary>
/// What a new user's first `dotnet run --project AppHost` shows: the demo experiment planned by the Scheduler's own
/// planner over the embedded traces the local composition replays, with its default regions, speed and replay start
/// (and the Scheduler's defaults, which the composition does not change for planning). It must visibly pause and resume
/// within minutes, not simply run at once.
/// </summary>
public sealed class DemoPlanTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static readonly LocalLoopSettings Loop = LocalLoopSettings.From(new ConfigurationBuilder().Build());

    private static readonly CarbonOptions Carbon = new()
    {
        Provider = "trace",
        Regions = [.. Loop.Regions],
        Replay = new TraceReplayOptions
        {
            SpeedUp = Loop.SpeedUp,
            TraceStart = DateTimeOffset.Parse(Loop.TraceStart, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        },
    };

    /// <summary>The Scheduler's options as the local composition sets them (its defaults plus Local:Scheduler:*).</summary>
    private static readonly SchedulerOptions Scheduling = new ConfigurationBuilder()
        .AddInMemoryCollection(Loop.SchedulerSettings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
        .Build().Get<SchedulerOptions>()!;

    private static TimeSpan Cell => Carbon.WallTime(TimeSpan.FromMinutes(Scheduling.StepMinutes));

    /// <summary>The demo as submitted and first planned <paramref name="afterReplayBegan"/> after the replay began (the Scheduler's start-up).</summary>
    private static async Task<(ExperimentRecord Demo, JobPlan Plan, IReadOnlyList<IntensitySeries> Series, DateTimeOffset Now)> PlanDemoAsync(TimeSpan afterReplayBegan)
    {
        var time = new FakeTimeProvider(Origin);
        var replay = new TraceReplayProvider(Carbon.Replay, time);
        time.Advance(afterReplayBegan);
        var series = new List<IntensitySeries>();
        foreach (var region in Carbon.PlannedRegions)
        {
            series.Add(await replay.GetForecastAsync(region, CancellationToken.None));
        }
        var now = time.GetUtcNow();
        var demo = DemoSubmitter.CreateRecord(new DemoOptions(), Carbon, now);
        return (demo, PlanningService.Plan([demo], series, now, Scheduling, Carbon)[0], series, now);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)] // the services start slowly on a busy machine
    public async Task The_default_demo_starts_at_once_pauses_through_dirtier_hours_and_resumes_within_minutes(int secondsAfterReplayBegan)
    {
        var (demo, plan, series, now) = await PlanDemoAsync(TimeSpan.FromSeconds(secondsAfterReplayBegan));

        plan.Intervals.Should().HaveCountGreaterThanOrEqualTo(2, "the demo must show a pause and a resume");
        var (first, second) = (plan.Intervals[0], plan.Intervals[1]);
        first.Start.Should().BeOnOrBefore(now + Cell, "it starts as soon as it is submitted");
        (first.End - first.Start).Should().BeLessThan(TimeSpan.FromSeconds(45), "shorter than the demo trains even on a fast machine, so it must pause");
        (second.Start - first.End).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30), "a pause long enough to see");
        second.Start.Should().BeBefore(now + TimeSpan.FromMinutes(3), "it resumes within the first few minutes");
        plan.MeetsDeadline.Should().BeTrue();
        plan.ExpectedGrams.Should().BeLessThan(0.8 * plan.RunNowGrams, "the pause pays off visibly");

        var region = series.Single(s => s.Region == first.Region);
        Mean(region, first.End, second.Start).Should().BeGreaterThan(1.5 * Mean(region, first.Start, first.End), "it pauses because intensity rises");
        demo.Spec.Carbon.AllowedRegions.Should().BeEquivalentTo(Loop.Regions, "the demo may shift between both replayed regions");
    }

    [Theory]
    [InlineData(0.5)]  // a machine twice as fast as the estimate
    [InlineData(1.5)]  // half again slower
    public async Task Planned_again_at_its_measured_pace_the_demo_still_pauses_before_it_finishes(double paceOfEstimate)
    {
        var (demo, plan, _, now) = await PlanDemoAsync(TimeSpan.Zero);
        var runSeconds = demo.EstimatedHours * 3600 * paceOfEstimate;
        // A tenth done in the first interval, as the worker reports it: the next replan plans the rest from the measured pace.
        var later = now + TimeSpan.FromSeconds(runSeconds / 10);
        var running = demo with
        {
            State = ExperimentState.Running, Region = plan.Intervals[0].Region, Plan = plan, FirstPlan = plan, Progress = 0.1, ActiveSeconds = runSeconds / 10,
        };
        var time = new FakeTimeProvider(Origin);
        var replay = new TraceReplayProvider(Carbon.Replay, time);
        time.Advance(later - Origin);
        var series = new List<IntensitySeries>();
        foreach (var region in Carbon.PlannedRegions)
        {
            series.Add(await replay.GetForecastAsync(region, CancellationToken.None));
        }

        var replanned = PlanningService.Plan([running], series, later, Scheduling, Carbon)[0];

        var runsStraightToTheEnd = replanned.Intervals.Count == 1 && replanned.Intervals[0].Start <= later + Cell;
        runsStraightToTheEnd.Should().BeFalse("the rest still waits through the dirtier hours: {0}",
            string.Join(", ", replanned.Intervals.Select(i => $"{i.Region} +{(i.Start - later).TotalSeconds:0}s..+{(i.End - later).TotalSeconds:0}s")));
        replanned.MeetsDeadline.Should().BeTrue();
    }

    private static double Mean(IntensitySeries series, DateTimeOffset from, DateTimeOffset to) => series.ToGrid(from, to - from, 1)[0];
}
