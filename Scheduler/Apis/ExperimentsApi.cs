using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Apis;

public static partial class ExperimentsApi
{
    public static RouteGroupBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/experiments").WithTags("Experiments").AddEndpointFilter<ApiKeyFilter>();
        api.MapPost("/", SubmitAsync).WithName("SubmitExperiment").Accepts<ExperimentSpec>("application/json")
            .WithSummary("Submits an experiment spec; 400 names every bad field by JSON path.");
        api.MapGet("/", ListAsync).WithName("ListExperiments");
        api.MapGet("/{id}", GetAsync).WithName("GetExperiment");
        api.MapPost("/{id}/pause", PauseAsync).WithName("PauseExperiment");
        api.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeExperiment");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelExperiment");
        return api;
    }

    public static async Task<Results<Created<ExperimentView>, ValidationProblem>> SubmitAsync(
        HttpRequest request, ExperimentStore experiments, ExperimentSubmitter submitter, IOptions<SchedulerOptions> options, CarbonOptions carbon,
        IOptions<DataRootsOptions> data, TimeProvider time)
    {
        using var reader = new StreamReader(request.Body);
        var parsed = ExperimentSpecJson.Parse(await reader.ReadToEndAsync());
        var now = time.GetUtcNow();
        var teacherErrors = await TeacherRules.CheckAsync(parsed.AsRead, experiments);
        var errors = parsed.Errors.Concat(teacherErrors).Concat(parsed.AsRead is { } read ? SubmissionRules.Check(read, now, carbon.PlannedRegions, data.Value.ResolvedRoots,
            options.Value.MaxModelMemoryGiB is { } gib ? ServiceDefaults.Sizing.ModelMemoryLimit.BytesOf(gib) : ServiceDefaults.Sizing.ModelMemoryLimit.AvailableBytes) : [])
            .GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        // Read here rather than bound as double?: a bound "abc" or "NaN" never reaches a handler that names the field.
        var estimatedHours = SubmissionLimits.PositiveNumber(request.Query, "estimatedHours", SubmissionLimits.MaxHours, "hours", errors);
        var estimatedKWh = SubmissionLimits.PositiveNumber(request.Query, "estimatedKWh", SubmissionLimits.MaxKWh, "kWh", errors);
        if (errors.Count > 0 || parsed.Spec is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The experiment spec is not valid");
        }
        var record = await submitter.SubmitAsync(parsed.Spec, estimatedHours, estimatedKWh);
        return TypedResults.Created($"/experiments/{record.Id}", ExperimentView.From(record));
    }

    public static async Task<Ok<List<ExperimentView>>> ListAsync(ExperimentStore experiments) =>
        TypedResults.Ok((await experiments.ListAsync()).Select(ExperimentView.From).ToList());

    public static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> GetAsync(string id, ExperimentStore experiments) =>
        await experiments.GetAsync(id) is { } record ? TypedResults.Ok(ExperimentView.From(record)) : NotFound(id);

    public static Task<Results<Ok<ExperimentView>, ProblemHttpResult>> PauseAsync(
        string id, ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time) =>
        gate.RunAsync(() => PauseLockedAsync(id, experiments, dispatch, time));

    private static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> PauseLockedAsync(
        string id, ExperimentStore experiments, DispatchService dispatch, TimeProvider time)
    {
        var record = await experiments.GetAsync(id);
        if (record is null || record.IsFinished)
        {
            return record is null ? NotFound(id) : Finished(record);
        }
        if (record is { State: ExperimentState.Running, Region: { } region })
        {
            await dispatch.SendAsync(region, id, TrainerCommandKind.Pause, time.GetUtcNow());
        }
        var paused = record with
        {
            HeldByUser = true,
            State = record.State == ExperimentState.Running ? ExperimentState.Paused : record.State,
            UpdatedAt = time.GetUtcNow(),
        };
        await experiments.SaveAsync(paused);
        return TypedResults.Ok(ExperimentView.From(paused));
    }

    public static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> ResumeAsync(
        string id, ExperimentStore experiments, Leadership.ReplanRequests replans, ExperimentLock gate, TimeProvider time)
    {
        var result = await gate.RunAsync(() => ResumeLockedAsync(id, experiments, time));
        await replans.RequestAsync(); // the leader's plan decides when it runs again
        return result;
    }

    private static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> ResumeLockedAsync(string id, ExperimentStore experiments, TimeProvider time)
    {
        var record = await experiments.GetAsync(id);
        if (record is null || record.IsFinished)
        {
            return record is null ? NotFound(id) : Finished(record);
        }
        var released = record with { HeldByUser = false, UpdatedAt = time.GetUtcNow() };
        await experiments.SaveAsync(released);
        return TypedResults.Ok(ExperimentView.From(released));
    }

    public static Task<Results<Ok<ExperimentView>, ProblemHttpResult>> CancelAsync(
        string id, ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time) =>
        gate.RunAsync(() => CancelLockedAsync(id, experiments, dispatch, time));

    private static async Task<Results<Ok<ExperimentView>, ProblemHttpResult>> CancelLockedAsync(
        string id, ExperimentStore experiments, DispatchService dispatch, TimeProvider time)
    {
        var record = await experiments.GetAsync(id);
        if (record is null || record.IsFinished)
        {
            return record is null ? NotFound(id) : Finished(record);
        }
        if (record.Region is { } region)
        {
            await dispatch.SendAsync(region, id, TrainerCommandKind.Cancel, time.GetUtcNow());
        }
        var cancelled = record with { State = ExperimentState.Cancelled, UpdatedAt = time.GetUtcNow() };
        await experiments.SaveAsync(cancelled);
        return TypedResults.Ok(ExperimentView.From(cancelled));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "No such experiment", detail: $"No experiment has id '{id}'.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Finished(ExperimentRecord record) =>
        TypedResults.Problem(title: "Experiment finished", detail: $"Experiment '{record.Id}' is {record.State.ToString().ToLowerInvariant()}.",
            statusCode: StatusCodes.Status409Conflict);
}
