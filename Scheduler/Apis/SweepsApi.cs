using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Sweeps;
using GreenTrain.Scheduler.Sweeps.Service;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Apis;

/// <summary>
/// POST /sweeps takes a sweep (docs/sweeps.md) whose trials the Scheduler submits as experiments; GET shows its state,
/// its trials with their experiment ids, metric and energy, and the best so far. Behind the same API key as /experiments.
/// </summary>
public static class SweepsApi
{
    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sweeps").WithTags("Sweeps").AddEndpointFilter<ApiKeyFilter>();
        api.MapPost("/", SubmitAsync).WithName("SubmitSweep")
            .WithSummary("Submits a sweep (base spec inline as \"base\"); 400 names every bad field by JSON path.");
        api.MapGet("/", ListAsync).WithName("ListSweeps");
        api.MapGet("/{id}", GetAsync).WithName("GetSweep");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelSweep")
            .WithSummary("Stops the sweep: no new trial is submitted and every unfinished trial's experiment is cancelled now.");
        return api;
    }

    public static async Task<Results<Created<SweepView>, ValidationProblem>> SubmitAsync(HttpRequest request, SweepStore sweeps, SweepSignal signal,
        IOptions<SweepOptions> options, IOptions<SchedulerOptions> scheduler, CarbonOptions carbon, IOptions<DataRootsOptions> data, TimeProvider time)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync();
        // The CLI's parser and checks, with no folder for baseFile: a service reads no client-named file.
        var parsed = SweepSpecJson.Parse(json, baseDirectory: null);
        var now = time.GetUtcNow();
        var errors = parsed.Errors.ToList();
        var deadline = parsed.Spec?.Deadline ?? now + carbon.WallTime(TimeSpan.FromHours(options.Value.DefaultHorizonHours));
        if (parsed.Spec is { } spec)
        {
            if (deadline <= now) errors.Add(new("$.deadline", $"must be in the future (it is {deadline:O}, now is {now:O})"));
            else if (deadline > now + SubmissionRules.MaxDeadlineAhead) errors.Add(new("$.deadline", $"must be at most {SubmissionRules.MaxDeadlineAhead.TotalDays:0} days ahead"));
            errors.AddRange(SchedulerChecks(spec, deadline, now, carbon, data.Value, scheduler.Value));
            // A trial posted here trains as an experiment, and a worker scores an experiment on the spec's own evaluation:
            // refusing the setting is better than a sweep that silently pays for full evaluations at every rung.
            if (spec.Resource.RungEvalBatches is not null)
            {
                errors.Add(new("$.resource.rungEvalBatches", "applies to local sweeps (sweep --spec) only; a posted sweep's trials score with $.base.training's evaluation"));
            }
        }
        if (errors.Count > 0 || parsed.Spec is null)
        {
            return TypedResults.ValidationProblem(errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray()),
                title: "The sweep is not valid");
        }
        var record = new SweepRecord
        {
            Id = $"sweep-{Guid.NewGuid():N}"[..16],
            Name = parsed.Spec.Name,
            SpecJson = json,
            Metric = parsed.Spec.Metric,
            Deadline = deadline,
            SubmittedAt = now,
            UpdatedAt = now,
        };
        await sweeps.AddAsync(record);
        signal.Wake();
        return TypedResults.Created($"/sweeps/{record.Id}", SweepView.From(record));
    }

    /// <summary>
    /// What POST /experiments would refuse in a trial (data roots, planned regions, model memory), checked on the first grid
    /// point's trial spec with the sweep's deadline, its paths named from the sweep's base.
    /// </summary>
    private static IEnumerable<SpecError> SchedulerChecks(SweepSpec spec, DateTimeOffset deadline, DateTimeOffset now, CarbonOptions carbon,
        DataRootsOptions data, SchedulerOptions scheduler)
    {
        var first = new SearchSpace(spec.Space).Grid()[0];
        if (TrialSpecs.Build(spec, first).Spec is not { } trial) return [];
        var memory = scheduler.MaxModelMemoryGiB is { } gib ? ServiceDefaults.Sizing.ModelMemoryLimit.BytesOf(gib) : ServiceDefaults.Sizing.ModelMemoryLimit.AvailableBytes;
        return SubmissionRules.Check(trial with { Carbon = trial.Carbon with { Deadline = deadline } }, now, carbon.PlannedRegions, data.ResolvedRoots, memory)
            .Where(e => e.Path != "$.carbon.deadline") // the sweep's own deadline was checked as $.deadline
            .Select(e => new SpecError("$.base" + e.Path[1..], e.Message)).ToList();
    }

    public static async Task<Ok<List<SweepView>>> ListAsync(SweepStore sweeps) =>
        TypedResults.Ok((await sweeps.ListAsync()).Select(SweepView.From).ToList());

    public static async Task<Results<Ok<SweepView>, ProblemHttpResult>> GetAsync(string id, SweepStore sweeps) =>
        await sweeps.GetAsync(id) is { } record ? TypedResults.Ok(SweepView.From(record)) : NotFound(id);

    public static async Task<Results<Ok<SweepView>, ProblemHttpResult>> CancelAsync(string id, SweepStore sweeps, SweepCancellations running,
        ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var record = await sweeps.UpdateAsync(id, r => r.IsFinished ? null : r with
        {
            CancelRequested = true,
            // A queued sweep has no runner to say so: it ends here. A running one ends when its runner has stopped.
            State = r.State == SweepState.Queued ? SweepState.Cancelled : r.State,
            StopReason = r.State == SweepState.Queued ? "cancelled" : r.StopReason,
            UpdatedAt = now,
        });
        if (record is null) return NotFound(id);
        if (record.IsFinished && !record.CancelRequested)
        {
            return TypedResults.Problem(title: "Sweep finished", detail: $"Sweep '{id}' is {record.State.ToString().ToLowerInvariant()}.",
                statusCode: StatusCodes.Status409Conflict);
        }
        running.Cancel(id);
        // Stop the trials now, whichever replica runs the sweep: their experiments are cancelled as POST /experiments/{id}/cancel does.
        await SweepTrialCancel.CancelUnfinishedAsync(record, experiments, dispatch, gate, time);
        return TypedResults.Ok(SweepView.From(await sweeps.GetAsync(id) ?? record));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "No such sweep", detail: $"No sweep has id '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
