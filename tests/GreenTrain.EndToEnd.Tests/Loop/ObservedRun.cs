using System.Net.Http.Json;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>What the test saw of one experiment while polling the Scheduler's API and the worker's progress hash.</summary>
internal sealed class ObservedRun
{
    /// <summary>Every interval any plan for the experiment contained (plans are rebuilt as work is done).</summary>
    public List<(DateTimeOffset Start, DateTimeOffset End)> PlannedIntervals { get; } = [];

    public HashSet<ExperimentRunState> WorkerStates { get; } = [];

    public HashSet<string> SchedulerStates { get; } = [];

    public JsonElement LastView { get; set; }

    /// <summary>Each change of the worker's state, step it resumed from, or message, with the time it was seen: what a failure message shows.</summary>
    public List<string> Timeline { get; } = [];

    public ExperimentProgress? LastProgress { get; set; }

    public void Record(JsonElement view, ExperimentProgress? progress)
    {
        LastView = view.Clone();
        SchedulerStates.Add(view.GetProperty("state").GetString()!);
        foreach (var interval in view.GetProperty("plan").EnumerateArray())
        {
            var span = (interval.GetProperty("start").GetDateTimeOffset(), interval.GetProperty("end").GetDateTimeOffset());
            if (!PlannedIntervals.Contains(span))
            {
                PlannedIntervals.Add(span);
            }
        }
        if (progress is not null)
        {
            if (LastProgress is null || LastProgress.State != progress.State || LastProgress.ResumedFromStep != progress.ResumedFromStep
                || LastProgress.Message != progress.Message)
            {
                Timeline.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.f} {progress.State} step {progress.Step} resumedFrom {progress.ResumedFromStep?.ToString() ?? "-"}: {progress.Message}");
            }
            LastProgress = progress;
            WorkerStates.Add(progress.State);
        }
    }

    public string State => LastView.GetProperty("state").GetString()!;

    public bool IsFinished => State is "completed" or "failed" or "cancelled";

    /// <summary>
    /// True when [start, end] lies inside the union of planned intervals, give or take <paramref name="slack"/> at its ends
    /// and at seams: a run that outlasts its plan is replanned from the moment the replan runs, a moment after the old plan ended.
    /// </summary>
    public bool Covers(DateTimeOffset start, DateTimeOffset end, TimeSpan slack)
    {
        var cursor = start + slack;
        var stop = end - slack;
        var inside = false;
        foreach (var (s, e) in PlannedIntervals.OrderBy(i => i.Start))
        {
            if (cursor >= stop)
            {
                break;
            }
            if ((inside ? s - slack : s) <= cursor && cursor < e)
            {
                (cursor, inside) = (e, true);
            }
        }
        return cursor >= stop;
    }

    public static async Task<JsonElement> ViewAsync(HttpClient scheduler, string id, CancellationToken cancellationToken) =>
        await scheduler.GetFromJsonAsync<JsonElement>($"/experiments/{id}", cancellationToken);
}
