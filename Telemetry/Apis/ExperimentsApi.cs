using System.Text.RegularExpressions;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Ui;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenTrain.Telemetry.Apis;

/// <summary>The web UI's experiments: the live table, one experiment's page, and its model file.</summary>
public static partial class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/experiments").WithTags("UI");
        api.MapGet("/", ListAsync).WithName("ListExperiments");
        api.MapGet("/{id}", GetAsync).WithName("GetExperimentDetail");
        app.MapGet("/experiments/{id}/model", GetModelAsync).WithTags("Reports").WithName("GetModelFile");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ExperimentRow>>> ListAsync(ExperimentRows rows, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rows.ListAsync(cancellationToken));

    public static async Task<Results<Ok<ExperimentDetail>, ProblemHttpResult>> GetAsync(string id, ExperimentDetails details, CancellationToken cancellationToken)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }
        return await details.GetAsync(id, cancellationToken) is { } detail ? TypedResults.Ok(detail) : NotFound(id);
    }

    /// <summary>The fp32 weights of the newest committed checkpoint (the "parameters" section, checked against its SHA-256 sums).</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetModelAsync(string id, GreenTrainStore store)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }
        if (await ModelFile.NewestCheckpointAsync(store, id) is not { } checkpoint)
        {
            return TypedResults.Problem(title: "No checkpoint", detail: $"Experiment '{id}' has no committed checkpoint with model weights.",
                statusCode: StatusCodes.Status404NotFound);
        }
        return await ModelFile.ReadAsync(store, checkpoint) is { } bytes
            ? TypedResults.File(bytes, "application/octet-stream", $"{id}-step{checkpoint.Step}-{ModelFile.Section}.f32")
            : TypedResults.Problem(title: "Damaged checkpoint",
                detail: $"Checkpoint '{checkpoint.Id}' of '{id}' has a missing or altered chunk.", statusCode: StatusCodes.Status409Conflict);
    }

    internal static ProblemHttpResult? BadId(string id) => ExperimentId().IsMatch(id) ? null
        : TypedResults.Problem(title: "Invalid experiment id", detail: "id: an experiment id is 1-128 letters, digits, '.', '_' or '-'.",
            statusCode: StatusCodes.Status400BadRequest);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "Unknown experiment", detail: $"id: the store knows no experiment '{id}'.", statusCode: StatusCodes.Status404NotFound);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ExperimentId();
}
