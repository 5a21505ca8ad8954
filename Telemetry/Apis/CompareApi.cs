using GreenTrain.Telemetry.Ui;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenTrain.Telemetry.Apis;

/// <summary>The web UI's compare page: each measured experiment's metric against its energy and emissions, with the Pareto frontiers.</summary>
public static class CompareApi
{
    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/compare", GetAsync).WithTags("UI").WithName("CompareExperiments");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ComparePoint>>> GetAsync(ExperimentRows rows, CancellationToken cancellationToken) =>
        TypedResults.Ok(ParetoFrontier.Points(await rows.ListAsync(cancellationToken)));
}
